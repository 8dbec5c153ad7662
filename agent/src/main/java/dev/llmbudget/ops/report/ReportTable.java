package dev.llmbudget.ops.report;

import dev.llmbudget.pricing.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table's cells as text, and the lines that explain it: built once so that the terminal and the HTML page
 * show the same figures, formatted the same way. Every column but the first is a number, aligned right.
 *
 * @param summary what was read and which period is shown
 * @param header the column names
 * @param rows one per group
 * @param total the total row
 * @param notes what the columns count, where that is not obvious
 */
record ReportTable(String summary, List<String> header, List<List<String>> rows, List<String> total, List<String> notes) {

    static ReportTable of(Report report) {
        List<String> header = List.of(report.by().label(), "calls", "refusals", "would-refuse", "input tokens",
                "output tokens", "USD");
        List<List<String>> rows = new ArrayList<>();
        for (Report.Row row : report.rows()) {
            rows.add(cells(row.key(), row.totals()));
        }
        return new ReportTable(summary(report), header, rows, cells("total", report.total()), notes(report));
    }

    private static List<String> cells(String name, Totals totals) {
        return List.of(name, count(totals.calls()), count(totals.refusals()), count(totals.wouldRefuse()),
                count(totals.inputTokens()), count(totals.outputTokens()), Money.format(totals.settledMicros()));
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String summary(Report report) {
        StringBuilder text = new StringBuilder("ledger ").append(report.ledger()).append(": ")
                .append(count(report.linesRead())).append(" lines");
        if (report.malformed() > 0) {
            text.append(", ").append(count(report.malformed())).append(" malformed (skipped)");
        }
        if (report.since() != null) {
            text.append(", ").append(count(report.linesBefore())).append(" before ").append(report.since()).append(" (left out)");
        }
        if (report.first() == null) {
            return text.append("; no calls in the period").toString();
        }
        return text.append("; calls from ").append(report.first()).append(" to ").append(report.last()).toString();
    }

    private static List<String> notes(Report report) {
        List<String> notes = new ArrayList<>();
        notes.add("calls: sent (decision allow, would-refuse or unguarded); refusals: never sent;"
                + " would-refuse: sent in shadow mode, a budget would have refused it.");
        notes.add("tokens: as the provider reported them (actual); a call with none reported counts 0, not its estimate.");
        notes.add("USD: settled spend (settledMicroUsd), summed exactly in micro-USD.");
        if (report.by() == Grouping.BUDGET) {
            notes.add("a call counts in the row of each of its budgets and once in the total; "
                    + Grouping.NONE + ": under no budget.");
        }
        return notes;
    }
}
