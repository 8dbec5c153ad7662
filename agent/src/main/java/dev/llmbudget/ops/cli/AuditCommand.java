package dev.llmbudget.ops.cli;

import dev.llmbudget.agent.AgentRuntime;
import dev.llmbudget.config.LoadedConfig;
import dev.llmbudget.ops.audit.BurnAudit;
import java.io.PrintStream;

/**
 * {@code audit [file] [--model NAME] [--input-tokens N]}: {@link BurnAudit}'s report on stdout. Exit
 * status 0 without warnings, 3 with warnings, 1 when the configuration is invalid, 2 on a usage error.
 */
final class AuditCommand {
    static final int WARNINGS = 3;

    private AuditCommand() {
    }

    static int run(String[] args, Cli.Overrides overrides, PrintStream out, PrintStream err, String usage) {
        String file = null;
        String model = null;
        Long inputTokens = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean takesValue = option.equals("--model") || option.equals("--input-tokens");
            String value = !takesValue ? null : arg.contains("=") ? arg.substring(arg.indexOf('=') + 1)
                    : i + 1 < args.length ? args[++i] : null;
            if (takesValue && (value == null || value.isBlank())) {
                return usageError(err, usage, option + " needs a value");
            }
            if (option.equals("--model")) {
                model = value.trim();
            } else if (option.equals("--input-tokens")) {
                try {
                    inputTokens = Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    inputTokens = 0L;
                }
                if (inputTokens <= 0) {
                    return usageError(err, usage, "--input-tokens takes a whole number greater than zero, not '" + value + "'");
                }
            } else if (arg.startsWith("-") || file != null) {
                return usageError(err, usage, "audit: unexpected argument '" + arg + "'");
            } else {
                file = arg;
            }
        }
        LoadedConfig loaded = AgentRuntime.check(overrides.load(file));
        if (!loaded.isValid()) {
            err.print(loaded.report());
            return 1;
        }
        BurnAudit.Result result = BurnAudit.run(loaded.config(), AgentRuntime.priceTable(loaded),
                new BurnAudit.Options(model, inputTokens));
        out.print(result.report());
        return result.warnings().isEmpty() ? 0 : WARNINGS;
    }

    private static int usageError(PrintStream err, String usage, String message) {
        err.println(message + "\n" + usage);
        return 2;
    }
}
