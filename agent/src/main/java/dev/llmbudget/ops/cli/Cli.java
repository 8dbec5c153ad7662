package dev.llmbudget.ops.cli;

import dev.llmbudget.agent.AgentRuntime;
import dev.llmbudget.config.ConfigLoader;
import dev.llmbudget.config.ConfigReference;
import dev.llmbudget.config.LoadedConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code java -jar llm-budget-agent.jar <command>}: operator commands that run without a host app.
 * Exit status 0 on success, 1 when the configuration is invalid, 2 on a usage error.
 */
public final class Cli {
    private static final String USAGE = String.join("\n",
            "usage: java -jar llm-budget-agent.jar <command>",
            "  check-config [file]   validate a configuration as the agent would at startup",
            "                        (file, then LLMBUDGET_* and -Dllmbudget.* overrides; default ./agent.properties)",
            "  config-keys           print every configuration key as a Markdown table",
            "  spend [file]          print what the configured store holds: spent and held per budget account",
            "  version               print the agent version");

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        switch (args[0]) {
            case "check-config" -> {
                return checkConfig(args.length > 1 ? args[1] : null, out, err);
            }
            case "spend" -> {
                LoadedConfig loaded = load(args.length > 1 ? args[1] : null);
                if (!loaded.isValid()) {
                    err.print(loaded.report());
                    return 1;
                }
                return SpendCommand.print(loaded.config().store(), out, err);
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

    /** The configuration as the agent would load it: the file, then LLMBUDGET_* and -Dllmbudget.* overrides. */
    private static LoadedConfig load(String file) {
        Map<String, String> sysprops = new HashMap<>();
        System.getProperties().forEach((key, value) -> sysprops.put(String.valueOf(key), String.valueOf(value)));
        String agentArgs = file == null ? null : ConfigLoader.CONFIG_ARG + "=" + file;
        return ConfigLoader.load(agentArgs, sysprops, System.getenv(), Path.of("").toAbsolutePath());
    }

    private static int checkConfig(String file, PrintStream out, PrintStream err) {
        LoadedConfig loaded = AgentRuntime.check(load(file));
        if (!loaded.isValid()) {
            err.print(loaded.report());
            return 1;
        }
        out.println("configuration OK: " + (loaded.file() == null ? "no file (defaults and overrides only)" : loaded.file()));
        return 0;
    }

    private static String version() {
        String version = Cli.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
