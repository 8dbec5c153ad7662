package dev.llmbudget.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One run (task) of the application: everything done inside one invocation of a configured entry
 * point ({@code task.entry-points}) or of one LangChain4j AI-service method, on whatever threads the
 * work was handed to. The run limits ({@code limits.task.*}, loop detection) count per run, and a
 * budget with {@code per=task} keeps one account per run. Ids are unique across JVMs (a random
 * per-JVM prefix), since a shared store keys accounts by them.
 */
public final class Run {
    private static final String JVM = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE).substring(0, 8);
    private static final AtomicLong NEXT = new AtomicLong();

    private final String id;
    private final String entryPoint;
    private final long startedAtMillis;
    private final ConcurrentHashMap<Object, Object> state = new ConcurrentHashMap<>(4);

    private Run(String id, String entryPoint, long startedAtMillis) {
        this.id = id;
        this.entryPoint = entryPoint;
        this.startedAtMillis = startedAtMillis;
    }

    /** A new run begun now by {@code entryPoint} (e.g. {@code com.acme.Pipeline#run}). */
    public static Run open(String entryPoint) {
        return new Run("run-" + JVM + "-" + NEXT.incrementAndGet(), entryPoint, System.currentTimeMillis());
    }

    public String id() {
        return id;
    }

    public String entryPoint() {
        return entryPoint;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /**
     * What a limit keeps for this run (its counters, its request history), created on first use and
     * gone with the run, so no limit needs a map of runs that must be cleaned up.
     */
    @SuppressWarnings("unchecked")
    public <T> T state(Object owner, Function<Object, T> create) {
        return (T) state.computeIfAbsent(owner, create);
    }

    @Override
    public String toString() {
        return id + " (" + entryPoint + ")";
    }
}
