package dev.llmbudget.core;

import dev.llmbudget.core.limits.CallEnd;
import dev.llmbudget.core.limits.Ticket;
import dev.llmbudget.store.Reservation;
import java.util.List;
import dev.llmbudget.tokens.Prompt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
    private final Ticket limits;
    private final List<dev.llmbudget.store.AccountRef> accounts;
    private final Guard.ShadowRefusal wouldRefuse;
    private final long decisionNanos;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicInteger httpAttempts = new AtomicInteger();

    /**
     * @param reservation what the store holds for the call, or null when nothing could be held (shadow mode with
     *     the store out of reach)
     * @param accounts the accounts reserved in, one per budget of {@code budgets}
     * @param wouldRefuse in shadow mode, the refusal that was not enforced, or null
     */
    Permit(Guard guard, Guard.Estimate estimate, Reservation reservation, List<String> budgets, String rule, Ticket limits,
           List<dev.llmbudget.store.AccountRef> accounts, Guard.ShadowRefusal wouldRefuse) {
        this.decisionNanos = startNanos - estimate.startedNanos();
        this.accounts = reservation == null ? List.of() : accounts;
        this.wouldRefuse = wouldRefuse;
        this.guard = guard;
        this.limits = limits;
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
        return reservation == null ? 0 : reservation.amountMicros();
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
            settleInStore(actual);
            finish(usage, actual, CallRecord.Outcome.SETTLED, null, CallEnd.Failure.NONE);
        }
    }

    /**
     * A stream that ended before the provider reported its usage (abandoned by the application, cut by
     * the network): charged the input as estimated before sending and the output it carried, counted
     * now. Never $0 for a stream that produced output, and never the whole reservation for one cut short.
     */
    public void settleFromOutputSoFar(String outputText, String detail) {
        if (finished.compareAndSet(false, true)) {
            long output = guard.tokens().count(call().model(), Prompt.ofText(outputText)).tokens();
            Usage usage = new Usage(estimate.input().tokens(), 0, 0, output, 0);
            long actual = Math.min(estimate.worstCaseMicros(), estimate.price().actualMicros(usage.inputTokens(), 0, 0, output));
            settleInStore(actual);
            finish(usage, actual, CallRecord.Outcome.SETTLED, "estimated from the output streamed so far: " + detail,
                    CallEnd.Failure.NONE);
        }
    }

    /** An HTTP attempt a layer under the owning one made for this call (the first, or a retry). */
    public void recordAttempt() {
        httpAttempts.incrementAndGet();
    }

    public int httpAttempts() {
        return httpAttempts.get();
    }

    /** The call was not sent after all (guarding failed before sending): it costs nothing and did not fail. */
    public void release(String detail) {
        release(detail, CallEnd.Failure.NONE);
    }

    /**
     * The provider answered with an error status: no billable work, so it costs nothing, and it counts
     * as a failed attempt for {@code limits.retry.*} and (408, 429, 5xx) {@code limits.circuit.*}.
     */
    public void httpError(int status) {
        boolean providerSide = status == 408 || status == 429 || status >= 500;
        release("http " + status, providerSide ? CallEnd.Failure.PROVIDER : CallEnd.Failure.REQUEST);
    }

    /** The call failed before the provider did billable work (no connection was made): it costs nothing; the provider failed. */
    public void releaseUnreachable(String detail) {
        release(detail, CallEnd.Failure.PROVIDER);
    }

    /** The call's usage cannot be known (no usage in the response, unreadable body): charge the worst case. */
    public void chargeReservation(String detail) {
        charge(detail, CallEnd.Failure.NONE);
    }

    /** No response came after sending (a timeout, a reset): the provider may have billed it, so charge the worst case; it failed. */
    public void chargeNoResponse(String detail) {
        charge(detail, CallEnd.Failure.PROVIDER);
    }

    private void release(String detail, CallEnd.Failure failure) {
        if (finished.compareAndSet(false, true)) {
            if (reservation != null) {
                guard.store().release(reservation);
            }
            finish(null, 0, CallRecord.Outcome.RELEASED, detail, failure);
        }
    }

    private void charge(String detail, CallEnd.Failure failure) {
        if (finished.compareAndSet(false, true)) {
            long worstCase = reservedMicros();
            settleInStore(worstCase);
            finish(null, worstCase, CallRecord.Outcome.CHARGED_RESERVATION, detail, failure);
        }
    }

    private void settleInStore(long actualMicros) {
        if (reservation != null) {
            guard.store().settle(reservation, actualMicros);
        }
    }

    public boolean isFinished() {
        return finished.get();
    }

    private static String join(String first, String second) {
        return first == null ? second : second == null ? first : first + "; " + second;
    }

    private void finish(Usage usage, long settledMicros, CallRecord.Outcome outcome, String detail, CallEnd.Failure failure) {
        if (limits != Ticket.NONE) {
            long tokens = usage != null ? usage.inputTokens() + usage.outputTokens()
                    : outcome == CallRecord.Outcome.RELEASED ? 0 : estimate.input().tokens() + estimate.outputAllowance();
            try {
                limits.end(new CallEnd(failure, Math.max(1, httpAttempts.get()), tokens));
            } catch (RuntimeException error) {
                // a limit's bookkeeping must not keep the call from being recorded
                detail = join(detail, "limits not updated: " + error);
            }
        }
        String clamp = clampedOutputTokens() > 0 ? "max output tokens rewritten to " + clampedOutputTokens()
                + " (" + OutputCeiling.KEY + "; asked " + (call().maxOutputTokens() > 0 ? call().maxOutputTokens() : "none") + ")"
                : null;
        String noted = join(join(reservation == null ? null : reservation.note(), clamp), detail);
        if (wouldRefuse != null) {
            noted = join("would refuse: " + wouldRefuse.message(), noted);
        }
        guard.recorder().record(new CallRecord(estimate.time(), estimate.callId(), estimate.call(),
                estimate.input().tokens(), estimate.input().method().name(), estimate.outputAllowance(), usage,
                reservedMicros(), settledMicros, budgets, wouldRefuse == null ? "allow" : CallRecord.WOULD_REFUSE, outcome,
                wouldRefuse == null ? rule : wouldRefuse.rule(), noted,
                (System.nanoTime() - startNanos) / 1_000_000, httpAttempts.get(), estimate.scope(), decisionNanos, accounts));
    }
}
