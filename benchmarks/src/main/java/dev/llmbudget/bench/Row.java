package dev.llmbudget.bench;

import java.util.List;
import java.util.Locale;

/** One line of the benchmark table: a figure, its target, what was measured and whether it meets it. */
record Row(String figure, String target, String measured, String verdict, String detail) {

    static Row atMost(String figure, double measured, double target, String unit, String detail) {
        return new Row(figure, "≤ " + number(target) + " " + unit, number(measured) + " " + unit,
                measured <= target ? "pass" : "FAIL", detail);
    }

    static Row atLeast(String figure, double measured, double target, String unit, String detail) {
        return new Row(figure, "≥ " + number(target) + " " + unit, number(measured) + " " + unit,
                measured >= target ? "pass" : "FAIL", detail);
    }

    static Row pending(String figure, double target, String unit, String why) {
        return new Row(figure, "≤ " + number(target) + " " + unit, "—", "pending", why);
    }

    static Row info(String figure, double measured, String unit, String detail) {
        return new Row(figure, "—", number(measured) + " " + unit, "info", detail);
    }

    static String markdown(List<Row> rows) {
        StringBuilder out = new StringBuilder("| Figure | Target | Measured | Result | Detail |\n|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.figure).append(" | ").append(row.target).append(" | ").append(row.measured)
                    .append(" | ").append(row.verdict).append(" | ").append(row.detail).append(" |\n");
        }
        return out.toString();
    }

    private static String number(double value) {
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
