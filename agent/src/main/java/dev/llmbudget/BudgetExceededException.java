package dev.llmbudget;

/**
 * Thrown by llm-budget-agent, on the calling thread, before an LLM request leaves the JVM, when the
 * call is refused. Unchecked, so it passes through application and client-library code unchanged;
 * the agent refuses above every client's retry loop, so no client library retries it.
 *
 * <p>This is the one exception type an application needs to catch: refusals for reasons other than
 * a budget (an unpriced model, a configuration error) are subclasses. Every instance names the
 * configuration key ({@link #rule()}) that decided the refusal. Amounts are integer micro-USD.
 */
public class BudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String rule;
    private final String budget;
    private final long spentMicros;
    private final long reservedMicros;
    private final long limitMicros;
    private final long estimateMicros;

    /** A budget that cannot take the call's worst-case cost. */
    public BudgetExceededException(String message, String rule, String budget, long spentMicros,
                                   long reservedMicros, long limitMicros, long estimateMicros) {
        super(message);
        this.rule = rule;
        this.budget = budget;
        this.spentMicros = spentMicros;
        this.reservedMicros = reservedMicros;
        this.limitMicros = limitMicros;
        this.estimateMicros = estimateMicros;
    }

    /** A refusal that is not about a budget's amounts (subclasses). */
    protected BudgetExceededException(String message, String rule, long estimateMicros) {
        this(message, rule, null, 0, 0, 0, estimateMicros);
    }

    /** The configuration key that decided the refusal, e.g. {@code budget.daily.limit-usd}. */
    public String rule() {
        return rule;
    }

    /** The budget that could not take the call, or null when the refusal is not about a budget. */
    public String budget() {
        return budget;
    }

    /** Settled spend in the refusing budget's current window, micro-USD. */
    public long spentMicros() {
        return spentMicros;
    }

    /** Spend held by calls in flight in that window, micro-USD. */
    public long reservedMicros() {
        return reservedMicros;
    }

    /** The budget's limit, micro-USD. */
    public long limitMicros() {
        return limitMicros;
    }

    /** This call's worst-case cost estimate, micro-USD (0 when it could not be priced). */
    public long estimateMicros() {
        return estimateMicros;
    }
}
