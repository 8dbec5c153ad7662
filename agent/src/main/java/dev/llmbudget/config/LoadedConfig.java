package dev.llmbudget.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of reading the configuration: either a valid {@link AgentConfig}, or the problems
 * that prevent one (then {@code config} is null and every LLM call is refused).
 *
 * @param file the configuration file, or null when none was found
 */
public record LoadedConfig(Path file, Map<String, Setting> settings, List<ConfigProblem> problems, AgentConfig config) {

    public boolean isValid() {
        return problems.isEmpty();
    }

    public LoadedConfig withProblems(List<ConfigProblem> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<ConfigProblem> all = new java.util.ArrayList<>(problems);
        all.addAll(more);
        return new LoadedConfig(file, settings, List.copyOf(all), null);
    }

    /** The block printed at startup, and the gist carried by the exception every refused call gets. */
    public String report() {
        return report("CONFIGURATION ERROR", "Enforcement is NOT switched off: every LLM call will be refused until this is fixed.");
    }

    /** The block logged when an edit of the file is read while the agent runs ({@code config.reload}) and rejected. */
    public String rejectedEditReport(String inForce) {
        return report("CONFIGURATION EDIT REJECTED", "Nothing of the edit is applied: " + inForce + " stays in force until the file is fixed.");
    }

    private String report(String title, String consequence) {
        StringBuilder out = new StringBuilder();
        out.append("[llm-budget-agent] ").append(title).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems")
                .append(" in the configuration").append(file == null ? " (no configuration file)" : " from " + file)
                .append(".\n  ").append(consequence).append('\n');
        for (ConfigProblem problem : problems) {
            out.append("  - ").append(problem.key());
            // the value as check-config shows it: a Redis URL's password or a webhook's token is never printed
            out.append(problem.value() == null ? " (not set)" : " = '" + SecretMask.mask(problem.value()) + "'");
            if (problem.origin() != null) {
                out.append("  [").append(problem.origin()).append(']');
            }
            out.append("\n      ").append(problem.message()).append('\n');
        }
        return out.toString();
    }
}
