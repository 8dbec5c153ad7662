package dev.llmbudget.core.limits;

import dev.llmbudget.CircuitOpenException;
import dev.llmbudget.core.Durations;
import dev.llmbudget.core.Alert;
import dev.llmbudget.core.AlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@code limits.circuit.*}: one circuit per provider and model. {@code failures} failed HTTP attempts
 * (408, 429, 5xx, no connection, no response; SDK-internal retries counted one by one) within
 * {@code window} open it; while open every call is refused; after {@code open-for} one call is let
 * through as a probe, and its success closes the circuit while its failure opens it again. A 429 storm
 * stops here instead of multiplying calls.
 */
final class CircuitBreakers implements CallLimit {
    static final String KEY = "limits.circuit.failures";
    static final String OPEN_FOR_KEY = "limits.circuit.open-for";

    private final int failures;
    private final Duration window;
    private final Duration openFor;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Circuit> circuits = new ConcurrentHashMap<>();

    private final AlertSink alerts;

    CircuitBreakers(long failures, Duration window, Duration openFor, LongSupplier nanos) {
        this(failures, window, openFor, nanos, AlertSink.NONE);
    }

    /** @param alerts told each time a circuit opens (and opens again after a failed probe) */
    CircuitBreakers(long failures, Duration window, Duration openFor, LongSupplier nanos, AlertSink alerts) {
        this.alerts = alerts;
        this.failures = (int) Math.min(failures, 100_000);
        this.window = window;
        this.openFor = openFor;
        this.nanos = nanos;
    }

    @Override
    public Ticket admit(LimitedCall call, long nowNanos) {
        String key = call.call().provider() + " " + call.call().model();
        Circuit circuit = circuits.computeIfAbsent(key, name -> new Circuit());
        boolean probe;
        synchronized (circuit) {
            probe = circuit.openUntilNanos != 0;
            if (probe && (nowNanos < circuit.openUntilNanos || circuit.probeInFlight)) {
                throw open(call, key, circuit, nowNanos);
            }
            circuit.probeInFlight = probe;
        }
        return new Ticket() {
            @Override
            public void end(CallEnd end) {
                boolean failed = end.failure() == CallEnd.Failure.PROVIDER;
                long now = nanos.getAsLong();
                long openedAfter = 0;
                synchronized (circuit) {
                    if (probe) {
                        circuit.probeInFlight = false;
                        circuit.failureTimes.clear();
                        circuit.openUntilNanos = failed ? now + openFor.toNanos() : 0;
                        circuit.lastFailures = failed ? Math.max(1, end.attempts()) : 0;
                        openedAfter = circuit.lastFailures;
                    } else if (failed && circuit.openUntilNanos == 0 && circuit.recordFailures(Math.max(1, end.attempts()), now,
                            window.toNanos(), failures)) {
                        circuit.openUntilNanos = now + openFor.toNanos();
                        openedAfter = circuit.lastFailures;
                    }
                }
                if (openedAfter > 0) {
                    alerts.raise(Alert.of(Alert.Kind.CIRCUIT_OPEN, Instant.now(), KEY, key, "circuit for " + key + " opened after "
                            + openedAfter + (probe ? " failed probe attempt(s)" : " failed attempt(s) within " + Durations.format(window))
                            + ": its calls are refused for " + Durations.format(openFor) + " (" + OPEN_FOR_KEY + ")"));
                }
            }

            @Override
            public void cancel() {
                if (probe) {
                    synchronized (circuit) {
                        circuit.probeInFlight = false;
                    }
                }
            }
        };
    }

    private CircuitOpenException open(LimitedCall call, String key, Circuit circuit, long nowNanos) {
        String when = circuit.probeInFlight ? "a probe call is in flight; its result decides"
                : "one probe call goes through in " + Durations.format(Duration.ofNanos(circuit.openUntilNanos - nowNanos).plusMillis(999)
                        .withNanos(0));
        return new CircuitOpenException("llm-budget-agent refused this " + call.what() + " before sending it: the circuit for "
                + key + " is open after " + circuit.lastFailures + " failed attempt(s) within " + Durations.format(window)
                + " (" + KEY + "=" + failures + "); " + when + " (" + OPEN_FOR_KEY + "=" + Durations.format(openFor)
                + "). Calls to a failing provider are refused instead of multiplying; raise " + KEY + " to tolerate more failures.",
                KEY, circuit.lastFailures, failures, key, call.worstCaseMicros());
    }

    /** One provider and model's circuit; guarded by its own monitor. */
    private static final class Circuit {
        final ArrayDeque<Long> failureTimes = new ArrayDeque<>();
        long openUntilNanos;
        boolean probeInFlight;
        long lastFailures;

        /** Adds failures at {@code now}; true when the window then holds {@code threshold} or more. */
        boolean recordFailures(int count, long now, long windowNanos, int threshold) {
            while (!failureTimes.isEmpty() && now - failureTimes.peekFirst() > windowNanos) {
                failureTimes.pollFirst();
            }
            for (int i = 0; i < count && failureTimes.size() < threshold; i++) {
                failureTimes.addLast(now);
            }
            if (failureTimes.size() >= threshold) {
                lastFailures = failureTimes.size();
                failureTimes.clear();
                return true;
            }
            return false;
        }
    }
}
