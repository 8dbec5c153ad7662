package dev.llmbudget.ops.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the renderers show, worked out once by the {@link Aggregator} so the terminal table and the HTML page
 * cannot disagree.
 *
 * @param ledger the file read
 * @param by what a row stands for
 * @param since the start of the period, or null for the whole ledger
 * @param rows one per group, in the order shown
 * @param total every line of the period counted once (under {@code --by budget} a line counts in several rows)
 * @param refusalsByRule refusals per deciding rule, most first
 * @param linesRead non-blank lines in the file, malformed ones included
 * @param malformed lines skipped because they were not ledger lines
 * @param linesBefore well-formed lines left out because they are before {@code since}
 * @param first the earliest time in the period, or null when the period has no line
 * @param last the latest time in the period, or null
 * @param timelines per budget, by name, for the charts; every budget in the file, also one whose lines are all
 *     before {@code since}; empty when no chart was asked for
 */
record Report(Path ledger, Grouping by, Instant since, List<Row> rows, Totals total, Map<String, Long> refusalsByRule,
              long linesRead, long malformed, long linesBefore, Instant first, Instant last,
              Map<String, BudgetTimeline> timelines) {

    record Row(String key, Totals totals) {
    }
}
