package dev.llmbudget.ops.alerts;

import java.util.ArrayDeque;
import java.util.Deque;

/** What a test started (threads, servers), closed after it in reverse order: a field marked {@code @AutoClose}. */
final class Closer implements AutoCloseable {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T closeable) {
        open.push(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        while (!open.isEmpty()) {
            open.pop().close();
        }
    }
}
