package dev.llmbudget.ops.alerts;

import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.pricing.Money;
import java.math.BigDecimal;
import java.time.Instant;

/** The words and numbers alerts share: percents from basis points, window ends, USD without a sign. Integer money only. */
final class AlertText {
    private AlertText() {
    }

    /** {@code 8000} as {@code 80}, {@code 8750} as {@code 87.5}: a JSON number and the text before {@code %}. */
    static String percent(int basisPoints) {
        return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString();
    }

    /** {@code limit × bp / 10000} rounded down, exact for any limit (no overflow, no floating point). */
    static long share(long limitMicros, int basisPoints) {
        return limitMicros / 10_000 * basisPoints + limitMicros % 10_000 * basisPoints / 10_000;
    }

    /** Micro-USD as {@code 20.13}: {@link Money#format} without the dollar sign. */
    static String usd(long micros) {
        return Money.format(micros).replace("$", "");
    }

    /**
     * When the window of a call made at {@code callTime} ends and its spend starts again from zero: calendar
     * windows only. Null for {@code total} (never), {@code run} (ends with the run) and rolling windows (spend
     * leaves them gradually; there is no moment it starts again).
     */
    static Instant windowEnd(BudgetWindow window, Instant callTime) {
        return switch (window.kind()) {
            case MINUTE, HOUR, DAY, WEEK, MONTH -> window.endAt(callTime);
            default -> null;
        };
    }

    /** {@code window ends 2026-11-24T00:00Z} (in the budget's zone), else {@code window rolling 24h}, {@code window total}. */
    static String window(BudgetWindow window, Instant end) {
        return end == null ? "window " + window : "window ends " + end.atZone(window.zone()).toOffsetDateTime();
    }

    /** {@code (tenant acme)}, or empty when the partition is not known. */
    static String inParentheses(String partition) {
        return partition == null ? "" : " (" + partition + ")";
    }
}
