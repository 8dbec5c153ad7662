package dev.llmbudget.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Call ids unique across JVMs without a UUID's cost on every call: a random per-JVM prefix and a
 * number. Each thread takes numbers from its own block of {@value #BLOCK}, so threads making calls in
 * parallel do not contend on one counter; ids are unique, not ordered in time (the ledger has the time).
 */
final class CallIds {
    private static final long BLOCK = 1024;

    private final String prefix = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE).substring(0, 8);
    private final AtomicLong blocks = new AtomicLong();
    private final ThreadLocal<long[]> range = ThreadLocal.withInitial(() -> new long[2]);

    String next() {
        long[] nextAndEnd = range.get();
        if (nextAndEnd[0] == nextAndEnd[1]) {
            long start = blocks.getAndIncrement() * BLOCK + 1;
            nextAndEnd[0] = start;
            nextAndEnd[1] = start + BLOCK;
        }
        return prefix + "-" + nextAndEnd[0]++;
    }
}
