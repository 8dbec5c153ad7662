package dev.llmbudget.core;

import java.time.Instant;
import java.util.List;

/**
 * The final account of one guarded call, written to the ledger once, when the call is over. Holds
 * no prompt or response text and no API key (only its fingerprint).
 *
 * @param time when the call was decided
 * @param callId the agent's id of the call
 * @param call the call as read from the request
 * @param inputTokensEstimated input tokens counted before sending
 * @param tokenCountMethod how they were counted ({@code EXACT_O200K}, {@code BYTE_BOUND}, ...)
 * @param outputTokensAssumed the output allowance the reservation assumed
 * @param usage what the provider reported, or null
 * @param reservedMicros the worst case held before sending
 * @param settledMicros what the call was finally charged
 * @param budgets the budgets the call was reserved in
 * @param decision {@code allow}, {@code refuse} or {@code unguarded}
 * @param outcome how the call ended
 * @param rule the configuration key that decided
 * @param detail a short reason (HTTP status, missing usage, internal error), or null
 * @param durationMillis from the decision to the end of the call
 * @param httpAttempts the HTTP attempts the layers under the owning one reported (retries included), 0 when none reported
 * @param scope the run and tenant the call was made in
 * @param decisionNanos how long pre-flight took to decide (kill switches, counting, pricing, limits, reserving)
 * @param accounts the store accounts the call was reserved in and charged to, one per budget of {@code budgets}
 *     in the same order; empty for a call refused or not guarded
 */
public record CallRecord(Instant time, String callId, LlmCall call, long inputTokensEstimated, String tokenCountMethod,
                         long outputTokensAssumed, Usage usage, long reservedMicros, long settledMicros,
                         List<String> budgets, String decision, Outcome outcome, String rule, String detail,
                         long durationMillis, int httpAttempts, CallScope scope, long decisionNanos,
                         List<dev.llmbudget.store.AccountRef> accounts) {

    /** The decision on a call shadow mode let through although a budget or limit would have refused it. */
    public static final String WOULD_REFUSE = "would-refuse";

    public CallRecord {
        budgets = budgets == null ? List.of() : budgets;
        accounts = accounts == null ? List.of() : accounts;
    }

    /** A record that says nothing of its decision's latency or accounts. */
    public CallRecord(Instant time, String callId, LlmCall call, long inputTokensEstimated, String tokenCountMethod,
                      long outputTokensAssumed, Usage usage, long reservedMicros, long settledMicros,
                      List<String> budgets, String decision, Outcome outcome, String rule, String detail,
                      long durationMillis, int httpAttempts, CallScope scope) {
        this(time, callId, call, inputTokensEstimated, tokenCountMethod, outputTokensAssumed, usage, reservedMicros,
                settledMicros, budgets, decision, outcome, rule, detail, durationMillis, httpAttempts, scope, 0, List.of());
    }

    public enum Outcome {
        /** Charged the provider's reported usage. */
        SETTLED("settled"),
        /** The call failed before billable work (never sent, HTTP error status) and was charged nothing. */
        RELEASED("released"),
        /** The usage could not be known (none reported, or no response after sending); charged the reservation in full. */
        CHARGED_RESERVATION("charged-reservation"),
        /** Refused before sending. */
        REFUSED("refused"),
        /** The agent failed internally and let the call through unguarded ({@code on-internal-error=allow}). */
        UNGUARDED("unguarded");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
