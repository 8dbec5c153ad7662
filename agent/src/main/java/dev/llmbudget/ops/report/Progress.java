package dev.llmbudget.ops.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of reading a large ledger, on stderr: the percent of bytes read at most every half second, then how
 * many lines were read in how long. Silent for a small file (under 8 MiB), which is read before anyone waits:
 * there stderr carries only warnings, so a script sees nothing it did not ask for.
 */
final class Progress {
    static final long LARGE_FILE_BYTES = 8L * 1024 * 1024;
    static final long INTERVAL_NANOS = 500_000_000L;

    private final PrintStream err;
    private final String name;
    private final long totalBytes;
    private final boolean shown;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private long lastNanos;

    Progress(PrintStream err, String name, long totalBytes, LongSupplier nanoTime) {
        this.err = err;
        this.name = name;
        this.totalBytes = totalBytes;
        this.shown = totalBytes > LARGE_FILE_BYTES;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.lastNanos = startNanos;
    }

    static Progress of(PrintStream err, String name, long totalBytes) {
        return new Progress(err, name, totalBytes, System::nanoTime);
    }

    /** Called as lines are read; prints only when the file is large and half a second has passed since the last print. */
    void update(long bytesRead, long lines) {
        if (!shown) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - lastNanos < INTERVAL_NANOS) {
            return;
        }
        lastNanos = now;
        long percent = Math.min(100, bytesRead * 100 / totalBytes);
        err.printf(Locale.ROOT, "report: %d%% of %s read (%,d lines)%n", percent, name, lines);
    }

    void done(long lines) {
        if (!shown) {
            return;
        }
        long millis = (nanoTime.getAsLong() - startNanos) / 1_000_000;
        err.printf(Locale.ROOT, "report: read %,d lines in %d.%d s%n", lines, millis / 1000, millis % 1000 / 100);
    }
}
