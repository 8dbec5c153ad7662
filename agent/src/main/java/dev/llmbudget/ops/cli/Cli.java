package dev.llmbudget.ops.cli;

import dev.llmbudget.agent.AgentRuntime;
import dev.llmbudget.config.ConfigLoader;
import dev.llmbudget.config.ConfigReference;
import dev.llmbudget.config.LoadedConfig;
import dev.llmbudget.ops.audit.BurnAudit;
import dev.llmbudget.ops.report.ReportCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code java -jar llm-budget-agent.jar <command>}: operator commands that run without a host app.
 * Exit status 0 on success, 1 when the configuration is invalid, 2 on a usage error, 3 when {@code audit} warns.
 */
public final class Cli {
    private static final String USAGE = String.join("\n",
            "usage: java -jar llm-budget-agent.jar <command>",
            "  check-config [file]   validate a configuration as the agent would at startup",
            "                        (file, then LLMBUDGET_* and -Dllmbudget.* overrides; default ./agent.properties)",
            "                        and print every key in effect with where it came from (secrets masked)",
            "  audit [file] [--model NAME] [--input-tokens N]",
            "                        the worst case the configuration allows (Max_Burn per run and per day, against",
            "                        each budget) and every path without a cap; --model audits that model (default:",
            "                        the models the budgets name, else the dearest priced one); --input-tokens sets",
            "                        the input assumed per call (default " + BurnAudit.DEFAULT_INPUT_TOKENS + ")",
            "  config-keys           print every configuration key as a Markdown table",
            "  spend [file]          print what the configured store holds: spent and held per budget account",
            "  report <ledger.jsonl> [--by model|budget|tenant|day] [--since <when>] [--html <file>]",
            "                        calls, refusals, tokens and USD from a ledger; --html adds a spend chart per budget",
            "  version               print the agent version",
            "exit status: 0 success, 1 invalid configuration or unreadable file, 2 usage error, 3 audit printed warnings");

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> sysprops = new HashMap<>();
        System.getProperties().forEach((key, value) -> sysprops.put(String.valueOf(key), String.valueOf(value)));
        return run(args, out, err, System.getenv(), sysprops);
    }

    /** With the environment and system properties given, as the configuration's overrides (tests inject them). */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Map<String, String> sysprops) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        Overrides overrides = new Overrides(env, sysprops);
        switch (args[0]) {
            case "check-config" -> {
                return checkConfig(overrides.load(args.length > 1 ? args[1] : null), out, err);
            }
            case "audit" -> {
                return AuditCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), overrides, out, err, USAGE);
            }
            case "spend" -> {
                LoadedConfig loaded = overrides.load(args.length > 1 ? args[1] : null);
                if (!loaded.isValid()) {
                    err.print(loaded.report());
                    return 1;
                }
                return SpendCommand.print(loaded.config().store(), out, err);
            }
            case "report" -> {
                return ReportCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            }
            case "config-keys" -> {
                out.print(ConfigReference.markdownTable());
                return 0;
            }
            case "version" -> {
                out.println("llm-budget-agent " + version());
                return 0;
            }
            case "help", "-h", "--help" -> {
                out.println(USAGE);
                return 0;
            }
            default -> {
                err.println("unknown command: " + args[0] + "\n" + USAGE);
                return 2;
            }
        }
    }

    /** The environment and system properties that override the file's keys. */
    record Overrides(Map<String, String> env, Map<String, String> sysprops) {
        /** The configuration as the agent would load it: the file, then LLMBUDGET_* and -Dllmbudget.* overrides. */
        LoadedConfig load(String file) {
            String agentArgs = file == null ? null : ConfigLoader.CONFIG_ARG + "=" + file;
            return ConfigLoader.load(agentArgs, sysprops, env, Path.of("").toAbsolutePath());
        }
    }

    private static int checkConfig(LoadedConfig read, PrintStream out, PrintStream err) {
        LoadedConfig loaded = AgentRuntime.check(read);
        if (!loaded.isValid()) {
            err.print(loaded.report());
            return 1;
        }
        out.println("configuration OK: " + (loaded.file() == null ? "no file (defaults and overrides only)" : loaded.file()));
        out.print(EffectiveConfig.render(loaded));
        return 0;
    }

    private static String version() {
        String version = Cli.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
