package dev.llmbudget.ops.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report as plain text for a terminal: the table in aligned columns, its notes, then the refusals by rule. */
final class TableRenderer {
    private TableRenderer() {
    }

    static void print(Report report, PrintStream out) {
        ReportTable table = ReportTable.of(report);
        out.println(table.summary());
        out.println();
        List<List<String>> lines = new ArrayList<>();
        lines.add(table.header());
        lines.addAll(table.rows());
        lines.add(table.total());
        int[] widths = new int[table.header().size()];
        for (List<String> line : lines) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], line.get(column).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int column = 0; column < widths.length; column++) {
                String cell = line.get(column);
                String pad = " ".repeat(widths[column] - cell.length());
                // the group name aligned left, the numbers right so their digits line up
                text.append(column == 0 ? cell + pad : "  " + pad + cell);
            }
            out.println(text.toString().stripTrailing());
        }
        out.println();
        table.notes().forEach(out::println);
        out.println();
        printRules(report.refusalsByRule(), out);
    }

    private static void printRules(Map<String, Long> rules, PrintStream out) {
        if (rules.isEmpty()) {
            out.println("refusals by rule: none");
            return;
        }
        out.println("refusals by rule:");
        int width = rules.keySet().stream().mapToInt(String::length).max().orElse(0);
        rules.forEach((rule, count) -> out.printf(Locale.ROOT, "  %-" + width + "s  %,d%n", rule, count));
    }
}
