package dev.llmbudget.ops.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private long nanos;

    private Progress progress(long size) {
        return new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), "ledger.jsonl", size, () -> nanos);
    }

    @Test
    void aLargeFileShowsThePercentReadAtMostEveryHalfSecondThenTheTotal() {
        long size = 100L * 1024 * 1024;
        Progress progress = progress(size);
        for (int step = 1; step <= 40; step++) {
            nanos += 100_000_000; // 100 ms a step: 4 s in all
            progress.update(size * step / 40, step * 1_000L);
        }
        nanos += 200_000_000;
        progress.done(40_000);

        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(9, lines.size(), String.join("\n", lines));
        assertEquals("report: 12% of ledger.jsonl read (5,000 lines)", lines.get(0));
        assertEquals("report: 100% of ledger.jsonl read (40,000 lines)", lines.get(7));
        assertEquals("report: read 40,000 lines in 4.2 s", lines.get(8));
    }

    @Test
    void aSmallFileShowsNothing() {
        Progress progress = progress(Progress.LARGE_FILE_BYTES);
        nanos += 2_000_000_000L;
        progress.update(Progress.LARGE_FILE_BYTES / 2, 10);
        progress.done(20);

        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
