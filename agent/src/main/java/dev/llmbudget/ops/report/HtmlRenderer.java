package dev.llmbudget.ops.report;

import dev.llmbudget.pricing.Money;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML file: the table, the refusals by rule, and a spend chart per budget. No
 * script, font, style sheet or image is fetched from anywhere, so the file can be mailed, attached to an incident
 * or opened offline and shows the same.
 */
final class HtmlRenderer {
    private static final String STYLE = String.join("\n",
            "body{font-family:sans-serif;color:#1f2937;margin:24px;max-width:1000px}",
            "h1{font-size:22px}h2{font-size:18px;margin-top:28px}h3{font-size:15px;margin:20px 0 4px}",
            "table{border-collapse:collapse;font-size:13px}",
            "th,td{padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:right}",
            "th:first-child,td:first-child{text-align:left}",
            "tr.total td{font-weight:bold;border-top:2px solid #6b7280}",
            "p.meta,p.note,p.budget{font-size:12px;color:#4b5563;margin:4px 0}");

    private HtmlRenderer() {
    }

    static void write(Report report, Writer out) throws IOException {
        ReportTable table = ReportTable.of(report);
        StringBuilder page = new StringBuilder(64 * 1024);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>LLM spend report: ")
                .append(Html.escape(String.valueOf(report.ledger().getFileName()))).append("</title>\n<style>\n")
                .append(STYLE).append("\n</style>\n</head>\n<body>\n<h1>LLM spend report</h1>\n<p class=\"meta\">")
                .append(Html.escape(table.summary())).append("</p>\n");
        appendTable(page, table);
        for (String note : table.notes()) {
            page.append("<p class=\"note\">").append(Html.escape(note)).append("</p>\n");
        }
        appendRules(page, report.refusalsByRule());
        out.write(page.toString());
        writeCharts(report, out);
        out.write("</body>\n</html>\n");
    }

    private static void appendTable(StringBuilder page, ReportTable table) {
        page.append("<table>\n<thead>");
        appendRow(page, table.header(), "th", null);
        page.append("</thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            appendRow(page, row, "td", null);
        }
        appendRow(page, table.total(), "td", "total");
        page.append("</tbody>\n</table>\n");
    }

    private static void appendRow(StringBuilder page, List<String> cells, String tag, String cssClass) {
        page.append(cssClass == null ? "<tr>" : "<tr class=\"" + cssClass + "\">");
        for (String cell : cells) {
            page.append('<').append(tag).append('>').append(Html.escape(cell)).append("</").append(tag).append('>');
        }
        page.append("</tr>\n");
    }

    private static void appendRules(StringBuilder page, Map<String, Long> rules) {
        page.append("<h2>Refusals by rule</h2>\n");
        if (rules.isEmpty()) {
            page.append("<p class=\"note\">No refusals in the period.</p>\n");
            return;
        }
        page.append("<table>\n<thead><tr><th>rule</th><th>refusals</th></tr></thead>\n<tbody>\n");
        rules.forEach((rule, count) -> appendRow(page, List.of(rule, String.format(Locale.ROOT, "%,d", count)), "td", null));
        page.append("</tbody>\n</table>\n");
    }

    /** One chart per budget, written one at a time: a page of many budgets is never held whole in memory. */
    private static void writeCharts(Report report, Writer out) throws IOException {
        out.write("<h2>Spend over time, per budget</h2>\n" + legend());
        if (report.timelines().isEmpty()) {
            out.write("<p class=\"note\">No budget appears in the ledger.</p>\n");
            return;
        }
        // every chart spans the same time, the period's first to last call, so charts can be compared at a glance
        long start = report.first() != null ? report.first().toEpochMilli() : report.since().toEpochMilli();
        long end = report.last() != null ? report.last().toEpochMilli() : start;
        end = Math.max(end, start + 60_000);
        for (Map.Entry<String, BudgetTimeline> budget : report.timelines().entrySet()) {
            BudgetTimeline timeline = budget.getValue();
            StringBuilder section = new StringBuilder("<section>\n<h3>").append(Html.escape(budget.getKey())).append("</h3>\n")
                    .append("<p class=\"budget\">").append(Money.format(timeline.settledMicros())).append(" settled, ")
                    .append(String.format(Locale.ROOT, "%,d", timeline.refusals())).append(" refusals");
            long unmarked = timeline.refusals() - timeline.markedRefusals().length;
            if (unmarked > 0) {
                section.append(" (the first ").append(BudgetTimeline.MAX_MARKED_REFUSALS).append(" marked, ")
                        .append(String.format(Locale.ROOT, "%,d", unmarked)).append(" more not)");
            }
            section.append("</p>\n").append(SpendChart.svg(budget.getKey(), timeline, start, end)).append("</section>\n");
            out.write(section.toString());
        }
    }

    /** Once for the page, not per chart: a swatch of each colour that a reader (or a pixel test) finds on the charts. */
    private static String legend() {
        return "<p class=\"note\"><svg width=\"24\" height=\"10\" role=\"img\" aria-label=\"blue line\">"
                + "<line x1=\"0\" y1=\"5\" x2=\"24\" y2=\"5\" stroke=\"" + SpendChart.LINE_COLOUR + "\" stroke-width=\"3\"/></svg>"
                + " cumulative settled USD &nbsp; <svg width=\"10\" height=\"10\" role=\"img\" aria-label=\"red dot\">"
                + "<circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"" + SpendChart.REFUSAL_COLOUR + "\"/></svg> a refusal on the budget</p>\n";
    }
}
