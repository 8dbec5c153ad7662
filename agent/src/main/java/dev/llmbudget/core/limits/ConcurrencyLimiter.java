package dev.llmbudget.core.limits;

import dev.llmbudget.ConcurrencyLimitExceededException;
import dev.llmbudget.core.Durations;
import dev.llmbudget.core.Partition;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code limits.concurrency.*}: at most {@code max} calls in flight per partition. The rest are
 * refused, or wait (bounded by {@code max-wait}) for a call of the same partition to end. One map of
 * counts under one lock: a partition with nothing in flight holds no entry, so per-run partitions
 * leave nothing behind.
 */
final class ConcurrencyLimiter implements CallLimit {
    static final String KEY = "limits.concurrency.max";

    private final int max;
    private final Partition per;
    private final boolean wait;
    private final Duration maxWait;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFreed = lock.newCondition();
    private final Map<String, Integer> inFlight = new HashMap<>();

    ConcurrencyLimiter(long max, Partition per, boolean wait, Duration maxWait) {
        this.max = (int) Math.min(max, Integer.MAX_VALUE);
        this.per = per;
        this.wait = wait;
        this.maxWait = maxWait;
    }

    @Override
    public Ticket admit(LimitedCall call, long nowNanos) {
        String partition = per.label(call.call(), call.scope());
        long waitNanos = wait ? maxWait.toNanos() : 0;
        lock.lock();
        try {
            int current;
            while ((current = inFlight.getOrDefault(partition, 0)) >= max) {
                if (waitNanos <= 0) {
                    throw refusal(call, partition, current);
                }
                try {
                    waitNanos = slotFreed.awaitNanos(waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw refusal(call, partition, current);
                }
            }
            inFlight.put(partition, current + 1);
        } finally {
            lock.unlock();
        }
        return new Ticket() {
            @Override
            public void end(CallEnd end) {
                release(partition);
            }

            @Override
            public void cancel() {
                release(partition);
            }
        };
    }

    private void release(String partition) {
        lock.lock();
        try {
            inFlight.computeIfPresent(partition, (name, count) -> count <= 1 ? null : count - 1);
            slotFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private ConcurrencyLimitExceededException refusal(LimitedCall call, String partition, int current) {
        String advice = wait ? "no slot freed within limits.concurrency.max-wait=" + Durations.format(maxWait)
                : "set limits.concurrency.action=wait to queue calls instead of refusing them";
        return new ConcurrencyLimitExceededException("llm-budget-agent refused this " + call.what() + " before sending it: "
                + partition + " already has " + current + " calls in flight, the most " + KEY + "=" + max + " allows; "
                + advice + ". Raise " + KEY + " to allow more at once.", KEY, current + 1, max, partition, call.worstCaseMicros());
    }
}
