package dev.llmbudget.ops.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code java -jar llm-budget-agent.jar report <ledger.jsonl> [--by ...] [--since ...] [--html ...]}: what the
 * ledger says was spent and refused, per model, budget, tenant or day, as a table on stdout and, with
 * {@code --html}, as a page with a spend chart per budget. Exit status as the rest of the CLI: 0 done, 1 a file
 * that cannot be read or written, 2 a usage error.
 */
public final class ReportCommand {
    private ReportCommand() {
    }

    /** @param args the arguments after {@code report} */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Clock.systemUTC());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        ReportOptions options;
        try {
            options = ReportOptions.parse(args, clock.instant());
        } catch (ReportOptions.UsageException e) {
            err.println("report: " + e.getMessage() + "\n" + ReportOptions.USAGE);
            return 2;
        }
        Path ledger = options.ledger();
        if (!Files.isRegularFile(ledger) || !Files.isReadable(ledger)) {
            err.println("report: cannot read the ledger " + ledger.toAbsolutePath() + ": "
                    + (Files.exists(ledger) ? "not a readable file" : "no such file"));
            return 1;
        }
        Aggregator aggregator = new Aggregator(options.by(), options.since(), options.html() != null);
        Report report;
        try {
            LedgerReader.Stats stats = new LedgerReader(err).read(ledger, aggregator::add);
            report = aggregator.report(ledger, stats);
        } catch (IOException e) {
            err.println("report: cannot read the ledger " + ledger.toAbsolutePath() + ": " + e);
            return 1;
        }
        TableRenderer.print(report, out);
        if (options.html() != null) {
            try (Writer html = Files.newBufferedWriter(options.html(), StandardCharsets.UTF_8)) {
                HtmlRenderer.write(report, html);
            } catch (IOException e) {
                err.println("report: cannot write " + options.html().toAbsolutePath() + ": " + e);
                return 1;
            }
            out.println();
            out.println("HTML report: " + options.html().toAbsolutePath());
        }
        return 0;
    }
}
