package dev.llmbudget.core.limits;

import dev.llmbudget.LimitExceededException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Every configured limit of {@code limits.*}, asked in order for each call: first those that only
 * look (circuit, retries, loops), then those that take something (run counts, rate, a concurrency
 * slot), so a refusal late in the line undoes little. A refused call gives back what the limits
 * before it took.
 */
public final class Limits {
    public static final Limits NONE = new Limits(List.of());

    private final List<CallLimit> limits;

    private Limits(List<CallLimit> limits) {
        this.limits = List.copyOf(limits);
    }

    public static Limits of(LimitSettings settings, LongSupplier nanos) {
        return of(settings, nanos, dev.llmbudget.core.AlertSink.NONE, false);
    }

    /**
     * @param alerts told when a circuit opens
     * @param neverWait shadow mode: a limit whose action is {@code wait} refuses instead (the refusal is only
     *     recorded), so that nothing the application does is slowed down by a limit that is not enforced
     */
    public static Limits of(LimitSettings settings, LongSupplier nanos, dev.llmbudget.core.AlertSink alerts, boolean neverWait) {
        return of(settings, nanos, java.util.concurrent.TimeUnit.NANOSECONDS::sleep, alerts, neverWait);
    }

    static Limits of(LimitSettings settings, LongSupplier nanos, RateLimiter.Pacer pacer) {
        return of(settings, nanos, pacer, dev.llmbudget.core.AlertSink.NONE, false);
    }

    private static Limits of(LimitSettings settings, LongSupplier nanos, RateLimiter.Pacer pacer,
                             dev.llmbudget.core.AlertSink alerts, boolean neverWait) {
        List<CallLimit> limits = new ArrayList<>();
        if (settings.circuitFailures() > 0) {
            limits.add(new CircuitBreakers(settings.circuitFailures(), settings.circuitWindow(), settings.circuitOpenFor(), nanos,
                    alerts));
        }
        if (settings.retryMaxAttempts() > 0) {
            limits.add(new RetryCap(settings.retryMaxAttempts(), settings.retryWindow(), nanos));
        }
        if (settings.loopIdenticalRequests() > 0 || settings.loopPingPong() > 0) {
            limits.add(new LoopDetector(settings.loopIdenticalRequests(), settings.loopPingPong(), settings.loopWindow()));
        }
        if (settings.taskMaxCalls() > 0 || settings.taskMaxTokens() > 0) {
            limits.add(new RunCaps(settings.taskMaxCalls(), settings.taskMaxTokens()));
        }
        if (settings.rateCallsPerMinute() > 0) {
            limits.add(new RateLimiter("limits.rate.calls-per-minute", settings.rateCallsPerMinute(), false, settings.ratePer(),
                    settings.rateWait() && !neverWait, settings.rateMaxWait(), pacer));
        }
        if (settings.rateTokensPerMinute() > 0) {
            limits.add(new RateLimiter("limits.rate.tokens-per-minute", settings.rateTokensPerMinute(), true, settings.ratePer(),
                    settings.rateWait() && !neverWait, settings.rateMaxWait(), pacer));
        }
        if (settings.concurrencyMax() > 0) {
            limits.add(new ConcurrencyLimiter(settings.concurrencyMax(), settings.concurrencyPer(), settings.concurrencyWait() && !neverWait,
                    settings.concurrencyMaxWait()));
        }
        return limits.isEmpty() ? NONE : new Limits(limits);
    }

    /** No limit is configured: nothing to ask, so the caller need not describe the call. */
    public boolean isEmpty() {
        return limits.isEmpty();
    }

    /** Whether a limit tells requests apart by their fingerprint (retries, loops), which costs a pass over the prompt. */
    public boolean needsFingerprint() {
        for (CallLimit limit : limits) {
            if (limit instanceof RetryCap || limit instanceof LoopDetector) {
                return true;
            }
        }
        return false;
    }

    /**
     * Admits the call under every limit, or refuses it having undone what was taken.
     *
     * @throws LimitExceededException naming the first limit that refused
     */
    public Ticket admit(LimitedCall call, long nowNanos) {
        if (limits.isEmpty()) {
            return Ticket.NONE;
        }
        Ticket[] taken = new Ticket[limits.size()];
        int count = 0;
        try {
            for (CallLimit limit : limits) {
                taken[count] = limit.admit(call, nowNanos);
                count++;
            }
        } catch (RuntimeException | Error refused) {
            cancel(taken, count);
            throw refused;
        }
        return new Tickets(taken);
    }

    private static void cancel(Ticket[] taken, int count) {
        for (int i = count - 1; i >= 0; i--) {
            taken[i].cancel();
        }
    }

    /** The tickets of one call, ended or cancelled together. */
    private record Tickets(Ticket[] taken) implements Ticket {
        @Override
        public void end(CallEnd end) {
            for (Ticket ticket : taken) {
                ticket.end(end);
            }
        }

        @Override
        public void cancel() {
            Limits.cancel(taken, taken.length);
        }
    }
}
