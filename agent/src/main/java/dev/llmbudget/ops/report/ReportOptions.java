package dev.llmbudget.ops.report;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The command line of {@code report}, checked before anything is read: a typo in an option must be a usage error
 * (exit 2) at once, not a report of the wrong thing after minutes of reading.
 *
 * @param ledger the ledger file
 * @param by what a row of the table stands for
 * @param since the start of the period, or null for the whole ledger
 * @param html where to write the HTML page, or null for none
 */
record ReportOptions(Path ledger, Grouping by, Instant since, Path html) {
    static final String USAGE = "usage: java -jar llm-budget-agent.jar report <ledger.jsonl> [--by model|budget|tenant|day]"
            + " [--since <when>] [--html <report.html>]\n"
            + "  --since  " + Since.FORMS;

    /** A command line that cannot be run, with a message saying why. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param args the arguments after {@code report}; {@code --option value} and {@code --option=value} both work
     * @param now what a duration in {@code --since} counts back from
     */
    static ReportOptions parse(String[] args, Instant now) throws UsageException {
        Path ledger = null;
        Grouping by = Grouping.MODEL;
        Instant since = null;
        Path html = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-")) {
                if (ledger != null) {
                    throw new UsageException("one ledger file only; got " + ledger + " and " + arg);
                }
                ledger = Path.of(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (!name.equals("--by") && !name.equals("--since") && !name.equals("--html")) {
                throw new UsageException("unknown option " + name);
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value");
            }
            try {
                switch (name) {
                    case "--by" -> by = Grouping.parse(value);
                    case "--since" -> since = Since.parse(value, now);
                    default -> html = Path.of(value);
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (ledger == null) {
            throw new UsageException("no ledger file given");
        }
        return new ReportOptions(ledger, by, since, html);
    }
}
