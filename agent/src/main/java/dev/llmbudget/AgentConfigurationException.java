package dev.llmbudget;

/**
 * The agent's configuration is invalid, so it cannot tell whether a call fits its budgets. Rather
 * than silently switching enforcement off, every LLM call is refused until the configuration is
 * fixed. The message names the file and the problems found at startup.
 */
public class AgentConfigurationException extends BudgetExceededException {
    private static final long serialVersionUID = 1L;

    public AgentConfigurationException(String message) {
        super(message, "config", 0);
    }
}
