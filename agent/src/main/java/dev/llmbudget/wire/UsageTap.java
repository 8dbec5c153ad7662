package dev.llmbudget.wire;

import dev.llmbudget.core.Usage;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps a response body so the application reads it exactly as before while a {@link UsageReader}
 * sees the same bytes. When the body ends or is closed, whichever comes first, the outcome is
 * reported once. Nothing is read that the application does not read, so a stream is never buffered
 * or consumed ahead of the application.
 */
public final class UsageTap extends FilterInputStream {

    /** Told once how the body ended. */
    @FunctionalInterface
    public interface Outcome {
        /**
         * @param usage what the body reported, or null
         * @param reachedEnd whether the application read the body to its end
         */
        void bodyEnded(Usage usage, boolean reachedEnd);
    }

    private final UsageReader reader;
    private final Outcome outcome;
    private final AtomicBoolean ended = new AtomicBoolean();
    private boolean reachedEnd;

    public UsageTap(InputStream body, UsageReader reader, Outcome outcome) {
        super(body);
        this.reader = reader;
        this.outcome = outcome;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            end(true);
        } else {
            reader.accept(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int n = super.read(bytes, offset, length);
        if (n < 0) {
            end(true);
        } else if (n > 0) {
            reader.accept(bytes, offset, n);
        }
        return n;
    }

    /** Skipped bytes still pass the reader: usage may sit in them. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(0, n))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {
        // unsupported: a reset would feed the reader the same bytes twice
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            end(reachedEnd);
        }
    }

    /** Reports the outcome now if it has not been reported (the response was closed without reading the body). */
    public void abandon() {
        end(reachedEnd);
    }

    private void end(boolean atEnd) {
        reachedEnd |= atEnd;
        if (ended.compareAndSet(false, true)) {
            outcome.bodyEnded(reader.finish(), reachedEnd);
        }
    }
}
