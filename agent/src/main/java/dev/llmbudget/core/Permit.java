package dev.llmbudget.core;

import dev.llmbudget.store.Reservation;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A call that pre-flight let through, holding its worst-case cost in every budget it matched. Exactly
 * one of {@link #settle}, {@link #release} or {@link #chargeReservation} takes effect; later calls
 * are ignored, so an interception point may report the end of a call from several places.
 */
public final class Permit {
    private final Guard guard;
    private final Guard.Estimate estimate;
    private final Reservation reservation;
    private final List<String> budgets;
    private final String rule;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();

    Permit(Guard guard, Guard.Estimate estimate, Reservation reservation, List<String> budgets, String rule) {
        this.guard = guard;
        this.estimate = estimate;
        this.reservation = reservation;
        this.budgets = budgets;
        this.rule = rule;
    }

    public String callId() {
        return estimate.callId();
    }

    public LlmCall call() {
        return estimate.call();
    }

    public long reservedMicros() {
        return reservation.amountMicros();
    }

    /**
     * The output maximum the request must be rewritten to before it is sent ({@code limits.max-output-tokens},
     * action {@code clamp}), or 0 when it goes as the application wrote it. The reservation assumes it.
     */
    public long clampedOutputTokens() {
        return estimate.clampedOutputTokens();
    }

    /** Replaces the reservation with the cost of what the provider reports the call used. */
    public void settle(Usage usage) {
        if (finished.compareAndSet(false, true)) {
            long actual = estimate.price().actualMicros(usage.inputTokens(), usage.cachedInputTokens(),
                    usage.cacheWriteTokens(), usage.outputTokens());
            guard.store().settle(reservation, actual);
            finish(usage, actual, CallRecord.Outcome.SETTLED, null);
        }
    }

    /** The call failed before the provider did billable work (never sent, HTTP error status): it costs nothing. */
    public void release(String detail) {
        if (finished.compareAndSet(false, true)) {
            guard.store().release(reservation);
            finish(null, 0, CallRecord.Outcome.RELEASED, detail);
        }
    }

    /** The call's usage cannot be known (no usage in the response, unreadable body, no response after sending): charge the worst case. */
    public void chargeReservation(String detail) {
        if (finished.compareAndSet(false, true)) {
            guard.store().settle(reservation, reservation.amountMicros());
            finish(null, reservation.amountMicros(), CallRecord.Outcome.CHARGED_RESERVATION, detail);
        }
    }

    public boolean isFinished() {
        return finished.get();
    }

    private void finish(Usage usage, long settledMicros, CallRecord.Outcome outcome, String detail) {
        String clamp = clampedOutputTokens() > 0 ? "max output tokens rewritten to " + clampedOutputTokens()
                + " (" + OutputCeiling.KEY + "; asked " + (call().maxOutputTokens() > 0 ? call().maxOutputTokens() : "none") + ")"
                : null;
        String noted = clamp == null ? detail : detail == null ? clamp : clamp + "; " + detail;
        guard.recorder().record(new CallRecord(estimate.time(), estimate.callId(), estimate.call(),
                estimate.input().tokens(), estimate.input().method().name(), estimate.outputAllowance(), usage,
                reservation.amountMicros(), settledMicros, budgets, "allow", outcome, rule, noted,
                (System.nanoTime() - startNanos) / 1_000_000));
    }
}
