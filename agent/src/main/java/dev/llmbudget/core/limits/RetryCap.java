package dev.llmbudget.core.limits;

import dev.llmbudget.RetryLimitExceededException;
import dev.llmbudget.core.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code limits.retry.max-attempts}: the same request (model and messages) sent again after it failed
 * is a retry, whoever retries it: the application, or the SDK inside one call (each HTTP attempt the
 * SDK made counts). Once it has failed that many attempts within {@code limits.retry.window}, sending
 * it again is refused; a success forgets it. Remembers at most {@value #REMEMBERED} failing requests.
 */
final class RetryCap implements CallLimit {
    static final String KEY = "limits.retry.max-attempts";
    static final int REMEMBERED = 10_000;

    private final long maxAttempts;
    private final long windowNanos;
    private final Duration window;
    private final java.util.function.LongSupplier nanos;
    private final Map<Long, Failures> failing = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Failures> eldest) {
            return size() > REMEMBERED;
        }
    };

    private record Failures(long attempts, long lastNanos) {
    }

    RetryCap(long maxAttempts, Duration window, java.util.function.LongSupplier nanos) {
        this.maxAttempts = maxAttempts;
        this.window = window;
        this.windowNanos = window.toNanos();
        this.nanos = nanos;
    }

    @Override
    public Ticket admit(LimitedCall call, long nowNanos) {
        Long fingerprint = call.fingerprint();
        Failures failures;
        synchronized (failing) {
            failures = failing.get(fingerprint);
            if (failures != null && nowNanos - failures.lastNanos > windowNanos) {
                failing.remove(fingerprint);
                failures = null;
            }
        }
        if (failures != null && failures.attempts >= maxAttempts) {
            throw new RetryLimitExceededException("llm-budget-agent refused this " + call.what() + " before sending it: the same"
                    + " request (model " + call.call().model() + ", same messages) has already failed " + failures.attempts
                    + " attempt(s) within " + Durations.format(window) + ", SDK retries included; " + KEY + "=" + maxAttempts
                    + ". A request that keeps failing will not succeed by sending it again; raise " + KEY + " if it might.",
                    KEY, failures.attempts + 1, maxAttempts, "request " + Long.toHexString(fingerprint), call.worstCaseMicros());
        }
        return new Ticket() {
            @Override
            public void end(CallEnd end) {
                synchronized (failing) {
                    if (end.failure() == CallEnd.Failure.NONE) {
                        failing.remove(fingerprint);
                        return;
                    }
                    Failures before = failing.get(fingerprint);
                    long earlier = before == null || nanos.getAsLong() - before.lastNanos > windowNanos ? 0 : before.attempts;
                    failing.put(fingerprint, new Failures(earlier + Math.max(1, end.attempts()), nanos.getAsLong()));
                }
            }

            @Override
            public void cancel() {
            }
        };
    }
}
