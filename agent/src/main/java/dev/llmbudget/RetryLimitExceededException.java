package dev.llmbudget;

/** The same request (same model and messages) has failed as many times as {@code limits.retry.max-attempts} allows; SDK-internal retries count. */
public class RetryLimitExceededException extends LimitExceededException {
    private static final long serialVersionUID = 1L;

    public RetryLimitExceededException(String message, String rule, long observed, long limit, String scope, long estimateMicros) {
        super(message, rule, observed, limit, scope, estimateMicros);
    }
}
