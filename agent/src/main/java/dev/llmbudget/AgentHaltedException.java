package dev.llmbudget;

/**
 * Every LLM call is halted by an operator's kill switch (for example the Redis key named by
 * {@code killswitch.redis-key}): refused before it leaves the JVM until the switch is removed.
 */
public class AgentHaltedException extends BudgetExceededException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public AgentHaltedException(String message, String rule, String reason) {
        super(message, rule, 0);
        this.reason = reason;
    }

    /** What the operator wrote when halting: who and why. */
    public String reason() {
        return reason;
    }
}
