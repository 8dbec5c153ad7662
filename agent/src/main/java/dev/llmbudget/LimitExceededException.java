package dev.llmbudget;

/**
 * A call refused by a limit other than a budget's amount: a run's call or token cap, a retry cap, an
 * open circuit, a detected loop, a rate, a concurrency cap or a burn rate. Each kind has its own
 * subclass; all of them are {@link BudgetExceededException}s, the one type an application catches.
 * Every instance names the rule (configuration key), what was counted against it, and for whom.
 */
public abstract class LimitExceededException extends BudgetExceededException {
    private static final long serialVersionUID = 1L;

    private final long observed;
    private final long limit;
    private final String scope;

    protected LimitExceededException(String message, String rule, long observed, long limit, String scope,
                                     long estimateMicros) {
        super(message, rule, estimateMicros);
        this.observed = observed;
        this.limit = limit;
        this.scope = scope;
    }

    /** What the rule counted, including this call (calls, tokens, attempts, failures, micro-USD, ...). */
    public long observed() {
        return observed;
    }

    /** The configured limit, in the same unit as {@link #observed()}. */
    public long limit() {
        return limit;
    }

    /** What the limit applied to: a run id, a tenant, a provider and model, or {@code global}. */
    public String scope() {
        return scope;
    }
}
