package dev.llmbudget.ops.report;

import java.time.Instant;
import java.util.List;

/**
 * The fields of one ledger line that the report uses; the rest of the line (call id, endpoint, estimates, detail)
 * is skipped by the parser without being built, so a long ledger costs little memory per line.
 *
 * @param time when the call was decided
 * @param model the model named in the request, or null
 * @param tenant the tenant the call was made for, or null
 * @param decision {@code allow}, {@code refuse}, {@code would-refuse} or {@code unguarded}
 * @param rule the configuration key that decided, or null
 * @param budgets the budgets the call fell under (none for some refusals and unguarded calls)
 * @param inputTokens input tokens the provider reported; 0 when it reported none ({@code "actual": null})
 * @param outputTokens output tokens the provider reported; 0 when it reported none
 * @param settledMicros what the call was charged, micro-USD
 */
record LedgerLine(Instant time, String model, String tenant, String decision, String rule, List<String> budgets,
                  long inputTokens, long outputTokens, long settledMicros) {
    static final String ALLOW = "allow";
    static final String REFUSE = "refuse";
    static final String WOULD_REFUSE = "would-refuse";
    static final String UNGUARDED = "unguarded";

    /** A call that was sent: allowed, let through by shadow mode, or let through unguarded. */
    boolean isCall() {
        return ALLOW.equals(decision) || WOULD_REFUSE.equals(decision) || UNGUARDED.equals(decision);
    }

    boolean isRefusal() {
        return REFUSE.equals(decision);
    }

    boolean isWouldRefuse() {
        return WOULD_REFUSE.equals(decision);
    }
}
