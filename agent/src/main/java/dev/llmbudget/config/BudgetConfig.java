package dev.llmbudget.config;

import java.time.ZoneId;
import java.util.List;

/**
 * A budget as configured.
 *
 * @param window as written, e.g. {@code day} or {@code rolling-24h} (validated)
 * @param matchModel the model globs, or null for every model
 * @param per {@code global}, {@code tenant}, {@code task}, {@code api-key} or {@code model}
 * @param shadow whether its refusals are only recorded ({@code budget.<name>.mode}, else the global {@code mode})
 * @param alertAtBasisPoints the {@code alert-at} thresholds in hundredths of a percent of the limit (0.8 is 8000),
 *     ascending; integers, so a threshold in micro-USD is exact
 */
public record BudgetConfig(String name, long limitMicros, String window, ZoneId zone, String matchModel, String per,
                           boolean shadow, List<Integer> alertAtBasisPoints) {

    public BudgetConfig {
        alertAtBasisPoints = List.copyOf(alertAtBasisPoints);
    }

    /** An enforcing budget without alerts. */
    public BudgetConfig(String name, long limitMicros, String window, ZoneId zone, String matchModel, String per) {
        this(name, limitMicros, window, zone, matchModel, per, false, List.of());
    }

    /** A budget shared by every call it matches. */
    public BudgetConfig(String name, long limitMicros, String window, ZoneId zone, String matchModel) {
        this(name, limitMicros, window, zone, matchModel, "global");
    }

    /** {@code 0.5,0.8,0.95} as basis points, ascending and without repeats (the value is validated already). */
    public static List<Integer> basisPoints(String fractions) {
        java.util.TreeSet<Integer> points = new java.util.TreeSet<>();
        for (String entry : fractions.split(",")) {
            points.add(new java.math.BigDecimal(entry.trim()).movePointRight(4)
                    .setScale(0, java.math.RoundingMode.HALF_UP).intValueExact());
        }
        return List.copyOf(points);
    }
}
