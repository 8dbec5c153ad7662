package dev.llmbudget;

/** As many calls are in flight as {@code limits.concurrency.max} allows, and no slot freed within {@code limits.concurrency.max-wait}. */
public class ConcurrencyLimitExceededException extends LimitExceededException {
    private static final long serialVersionUID = 1L;

    public ConcurrencyLimitExceededException(String message, String rule, long observed, long limit, String scope, long estimateMicros) {
        super(message, rule, observed, limit, scope, estimateMicros);
    }
}
