package dev.llmbudget.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.core.Usage;
import dev.llmbudget.wire.openai.OpenAiProtocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageTapTest {
    private record Ended(Usage usage, boolean reachedEnd) {
    }

    private final List<Ended> outcomes = new ArrayList<>();

    private UsageTap tap(String body, UsageReader reader) {
        return new UsageTap(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), reader,
                (usage, reachedEnd) -> outcomes.add(new Ended(usage, reachedEnd)));
    }

    @Test
    void theApplicationReadsTheBodyUnchangedAndUsageIsReportedOnceAtTheEnd() throws IOException {
        byte[] original = OpenAiWireSamples.CHAT_STREAM.getBytes(StandardCharsets.UTF_8);
        try (UsageTap tap = tap(OpenAiWireSamples.CHAT_STREAM, new SseUsageReader(OpenAiProtocol::usageIn))) {
            assertArrayEquals(original, tap.readAllBytes());
            assertEquals(List.of(new Ended(new Usage(2006, 1920, 0, 300, 0), true)), outcomes);
            assertEquals(-1, tap.read());
        }
        assertEquals(1, outcomes.size(), "reported once, though both the end and close were seen");
    }

    @Test
    void singleByteReadsAreSeenToo() throws IOException {
        try (InputStream tap = tap(OpenAiWireSamples.CHAT_COMPLETION, new JsonBodyUsageReader(OpenAiProtocol::usageIn))) {
            while (tap.read() >= 0) {
                // the application reads byte by byte
            }
        }
        assertEquals(List.of(new Ended(new Usage(1117, 1024, 0, 46, 0), true)), outcomes);
    }

    @Test
    void closingBeforeTheEndReportsThatTheBodyWasNotFinished() throws IOException {
        UsageTap tap = tap(OpenAiWireSamples.CHAT_COMPLETION, new JsonBodyUsageReader(OpenAiProtocol::usageIn));
        tap.read(new byte[100], 0, 100);
        tap.close();
        tap.close();
        assertEquals(List.of(new Ended(null, false)), outcomes);
    }

    @Test
    void skippedBytesStillPassTheReader() throws IOException {
        try (UsageTap tap = tap(OpenAiWireSamples.CHAT_STREAM, new SseUsageReader(OpenAiProtocol::usageIn))) {
            long length = OpenAiWireSamples.CHAT_STREAM.getBytes(StandardCharsets.UTF_8).length;
            assertEquals(length, tap.skip(Long.MAX_VALUE));
            assertEquals(-1, tap.read());
        }
        assertEquals(new Usage(2006, 1920, 0, 300, 0), outcomes.get(0).usage());
    }

    @Test
    void abandonReportsOnce() {
        UsageTap tap = tap("{}", new JsonBodyUsageReader(OpenAiProtocol::usageIn));
        tap.abandon();
        tap.abandon();
        assertEquals(List.of(new Ended(null, false)), outcomes);
    }

    @Test
    void markAndResetAreRefusedSoNoByteIsSeenTwice() {
        UsageTap tap = tap("{}", new JsonBodyUsageReader(OpenAiProtocol::usageIn));
        assertFalse(tap.markSupported());
        tap.mark(10);
        assertThrows(IOException.class, tap::reset);
        assertTrue(outcomes.isEmpty());
    }
}
