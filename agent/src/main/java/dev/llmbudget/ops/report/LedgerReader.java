package dev.llmbudget.ops.report;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Streams a ledger file line by line into a consumer, so a ledger of any size is read in constant memory. A line
 * that is not a ledger line (cut short by a crash, edited by hand) is counted and skipped with a warning naming
 * its line number: one bad line must not hide the thousands of good ones. After {@value #NAMED_WARNINGS}
 * warnings the rest are only counted, so a damaged file does not flood the terminal.
 */
final class LedgerReader {
    static final int NAMED_WARNINGS = 20;

    private final PrintStream err;

    LedgerReader(PrintStream err) {
        this.err = err;
    }

    /** What reading found: non-blank lines read, and how many of them were skipped as malformed. */
    record Stats(long lines, long malformed) {
    }

    Stats read(Path file, Consumer<LedgerLine> sink) throws IOException {
        Progress progress = Progress.of(err, file.getFileName().toString(), Files.size(file));
        long lineNumber = 0;
        long lines = 0;
        long malformed = 0;
        try (CountingInputStream bytes = new CountingInputStream(Files.newInputStream(file));
             BufferedReader reader = new BufferedReader(new InputStreamReader(bytes, StandardCharsets.UTF_8), 64 * 1024)) {
            String text;
            while ((text = reader.readLine()) != null) {
                lineNumber++;
                if (text.isBlank()) {
                    continue;
                }
                lines++;
                try {
                    sink.accept(LedgerLineParser.parse(text));
                } catch (LedgerLineParser.MalformedLineException e) {
                    malformed++;
                    if (malformed <= NAMED_WARNINGS) {
                        err.println("report: warning: " + file + " line " + lineNumber + " skipped: " + e.getMessage());
                    }
                }
                progress.update(bytes.count, lines);
            }
        }
        if (malformed > NAMED_WARNINGS) {
            err.println("report: warning: " + (malformed - NAMED_WARNINGS) + " more malformed lines skipped (only the first "
                    + NAMED_WARNINGS + " are named)");
        }
        progress.done(lines);
        return new Stats(lines, malformed);
    }

    /** Counts the bytes the reader has taken from the file: the reader's buffer is ahead of its lines by at most 64 KiB. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
