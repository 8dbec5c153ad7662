package dev.llmbudget.core;

import java.time.Instant;

/**
 * Something an operator should hear about now, not find in the ledger later: a budget's {@code alert-at}
 * threshold crossed, a call refused, a circuit opened, a kill switch thrown or lifted. Carries no prompt text
 * and no API key.
 *
 * @param kind what happened
 * @param time when
 * @param rule the configuration key or control concerned, e.g. {@code budget.daily.limit-usd}, {@code killswitch.file}
 * @param budget the budget's name, or null when the alert is not about one
 * @param partition which account of the budget or limit, as refusals name it ({@code tenant acme}, {@code global}), or null
 * @param spentMicros settled spend of that account, or 0 when not about spend
 * @param limitMicros its limit, or 0
 * @param thresholdBasisPoints the threshold crossed in hundredths of a percent of the limit (8000 = 80%), or 0
 * @param windowEnd when the budget's window ends and its spend starts again, or null for none
 * @param message the whole story in one line, as the WARN log says it
 */
public record Alert(Kind kind, Instant time, String rule, String budget, String partition, long spentMicros,
                    long limitMicros, int thresholdBasisPoints, Instant windowEnd, String message) {

    public enum Kind {
        THRESHOLD("threshold"), REFUSAL("refusal"), CIRCUIT_OPEN("circuit-open"), HALT("halt"), RESUME("resume");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** As the webhook body and the JMX notification type name it. */
        public String label() {
            return label;
        }
    }

    /** An alert that is not about a budget's spend. */
    public static Alert of(Kind kind, Instant time, String rule, String partition, String message) {
        return new Alert(kind, time, rule, null, partition, 0, 0, 0, null, message);
    }
}
