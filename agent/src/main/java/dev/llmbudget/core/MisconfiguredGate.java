package dev.llmbudget.core;

import dev.llmbudget.AgentConfigurationException;

/**
 * The gate while the configuration is invalid: it refuses every call, pointing at the configuration
 * report, because an agent that cannot read its limits must not silently stop enforcing them.
 */
public final class MisconfiguredGate implements CallGate {
    private final String report;

    public MisconfiguredGate(String report) {
        this.report = report;
    }

    @Override
    public Permit preflight(LlmCall call) {
        throw new AgentConfigurationException("llm-budget-agent refused this LLM call because its configuration is invalid."
                + " Fix the configuration and restart; the problems, as reported at startup:\n" + report);
    }

    @Override
    public void recordUnguarded(LlmCall call, String detail) {
        // nothing is let through unguarded while misconfigured: every call is refused
    }
}
