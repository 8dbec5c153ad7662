package dev.llmbudget.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Call ids unique across JVMs without a UUID's cost on every call: a random per-JVM prefix and a counter. */
final class CallIds {
    private final String prefix = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE).substring(0, 8);
    private final AtomicLong next = new AtomicLong();

    String next() {
        return prefix + "-" + next.incrementAndGet();
    }
}
