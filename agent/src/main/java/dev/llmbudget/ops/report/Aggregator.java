package dev.llmbudget.ops.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds ledger lines up as they stream by: one {@link Totals} per group and one for the whole period, refusals per
 * rule, and (for the HTML page) one {@link BudgetTimeline} per budget. Holds a few numbers per group, never the
 * lines.
 */
final class Aggregator {
    private static final String NO_RULE = "(none)";

    private final Grouping by;
    private final Instant since;
    private final boolean timelines;
    private final Map<String, Totals> groups = new HashMap<>();
    private final Totals total = new Totals();
    private final Map<String, Long> rules = new HashMap<>();
    private final Map<String, BudgetTimeline> budgets = new TreeMap<>();
    private long linesBefore;
    private Instant first;
    private Instant last;

    /**
     * @param since lines before it are left out; null for none
     * @param timelines whether to keep what the per-budget charts need
     */
    Aggregator(Grouping by, Instant since, boolean timelines) {
        this.by = by;
        this.since = since;
        this.timelines = timelines;
    }

    void add(LedgerLine line) {
        if (since != null && line.time().isBefore(since)) {
            linesBefore++;
            if (timelines) {
                // the budget still gets its (empty) chart: the page shows every budget the ledger knows
                line.budgets().forEach(this::timeline);
            }
            return;
        }
        first = first == null || line.time().isBefore(first) ? line.time() : first;
        last = last == null || line.time().isAfter(last) ? line.time() : last;
        total.add(line);
        for (String key : by.keys(line)) {
            groups.computeIfAbsent(key, k -> new Totals()).add(line);
        }
        if (line.isRefusal()) {
            rules.merge(line.rule() == null ? NO_RULE : line.rule(), 1L, Long::sum);
        }
        if (timelines) {
            for (String budget : line.budgets()) {
                timeline(budget).add(line);
            }
        }
    }

    Report report(Path ledger, LedgerReader.Stats stats) {
        return new Report(ledger, by, since, rows(), total, rulesMostFirst(), stats.lines(), stats.malformed(), linesBefore,
                first, last, budgets);
    }

    private BudgetTimeline timeline(String budget) {
        return budgets.computeIfAbsent(budget, b -> new BudgetTimeline());
    }

    /** Days in calendar order; otherwise the biggest spender first, as that is what a reader looks for. */
    private List<Report.Row> rows() {
        Comparator<Report.Row> byKey = Comparator.comparing(Report.Row::key);
        Comparator<Report.Row> order = by == Grouping.DAY ? byKey
                : Comparator.comparingLong((Report.Row row) -> row.totals().settledMicros()).reversed().thenComparing(byKey);
        List<Report.Row> rows = new ArrayList<>();
        groups.forEach((key, totals) -> rows.add(new Report.Row(key, totals)));
        rows.sort(order);
        return rows;
    }

    private Map<String, Long> rulesMostFirst() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        rules.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }
}
