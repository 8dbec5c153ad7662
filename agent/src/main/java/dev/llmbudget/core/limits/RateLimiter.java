package dev.llmbudget.core.limits;

import dev.llmbudget.RateLimitExceededException;
import dev.llmbudget.core.Durations;
import dev.llmbudget.core.Partition;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code limits.rate.calls-per-minute} or {@code limits.rate.tokens-per-minute} for one partition
 * each: a token bucket holding a minute's allowance, refilled evenly, kept as a generic cell rate
 * (one "theoretical arrival time" per partition, integer nanoseconds). Over the rate a call is
 * refused, or, with {@code limits.rate.action=wait}, the caller is paced: its share is taken now and
 * it sleeps until that share would have been refilled, so callers queue fairly without a lock held.
 */
final class RateLimiter implements CallLimit {
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final int SWEEP_ABOVE = 10_000;

    private final String key;
    private final long perMinute;
    private final boolean tokens;
    private final Partition per;
    private final boolean wait;
    private final Duration maxWait;
    private final Pacer pacer;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Sleeps the calling thread; a seam for tests. */
    interface Pacer {
        void pause(long nanos) throws InterruptedException;
    }

    /** @param tokens true to count tokens (worst case, the unused part given back), false to count calls */
    RateLimiter(String key, long perMinute, boolean tokens, Partition per, boolean wait, Duration maxWait, Pacer pacer) {
        this.key = key;
        this.perMinute = perMinute;
        this.tokens = tokens;
        this.per = per;
        this.wait = wait;
        this.maxWait = maxWait;
        this.pacer = pacer;
    }

    private static final class Bucket {
        /** When the bucket would be full again; guarded by the bucket's monitor. */
        long fullAtNanos;
    }

    @Override
    public Ticket admit(LimitedCall call, long nowNanos) {
        String partition = per.label(call.call(), call.scope());
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.values().removeIf(bucket -> bucket.fullAtNanos - nowNanos < 0);
        }
        Bucket bucket = buckets.computeIfAbsent(partition, name -> new Bucket());
        long units = tokens ? call.worstCaseTokens() : 1;
        long cost = costNanos(units);
        long waitNanos;
        synchronized (bucket) {
            long start = Math.max(bucket.fullAtNanos, nowNanos);
            long fullAt = start + cost;
            waitNanos = fullAt - nowNanos - MINUTE_NANOS;
            if (waitNanos > 0 && (!wait || waitNanos > maxWait.toNanos())) {
                throw refusal(call, partition, units, waitNanos);
            }
            bucket.fullAtNanos = fullAt;
        }
        if (waitNanos > 0) {
            try {
                pacer.pause(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                giveBack(bucket, cost);
                throw new RateLimitExceededException("llm-budget-agent refused this " + call.what() + " before sending it: the"
                        + " thread was interrupted while " + key + " paced it (" + partition + ").", key, units, perMinute,
                        partition, call.worstCaseMicros());
            }
        }
        if (!tokens) {
            return new Ticket() {
                @Override
                public void end(CallEnd end) {
                }

                @Override
                public void cancel() {
                    giveBack(bucket, cost);
                }
            };
        }
        return new Ticket() {
            @Override
            public void end(CallEnd end) {
                if (end.tokens() < units) {
                    giveBack(bucket, costNanos(units - end.tokens()));
                }
            }

            @Override
            public void cancel() {
                giveBack(bucket, cost);
            }
        };
    }

    /** How long the bucket takes to refill {@code units}. */
    private long costNanos(long units) {
        try {
            return Math.multiplyExact(units, MINUTE_NANOS) / perMinute;
        } catch (ArithmeticException tooMany) {
            return Long.MAX_VALUE / 4;
        }
    }

    private static void giveBack(Bucket bucket, long costNanos) {
        synchronized (bucket) {
            bucket.fullAtNanos -= costNanos;
        }
    }

    private RateLimitExceededException refusal(LimitedCall call, String partition, long units, long waitNanos) {
        String unit = tokens ? "tokens" : "calls";
        String advice = wait ? "it would have to wait " + Durations.format(Duration.ofMillis(waitNanos / 1_000_000 + 1))
                + ", more than limits.rate.max-wait=" + Durations.format(maxWait)
                : "set limits.rate.action=wait to pace calls instead of refusing them";
        return new RateLimitExceededException("llm-budget-agent refused this " + call.what() + " before sending it: " + partition
                + " is over " + key + "=" + perMinute + " (this call: " + units + " " + unit + "); " + advice
                + ". Raise " + key + " to allow more.", key, units, perMinute, partition, call.worstCaseMicros());
    }
}
