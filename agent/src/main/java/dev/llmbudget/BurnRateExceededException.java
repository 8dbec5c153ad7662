package dev.llmbudget;

/** Spend over the last minute would exceed {@code limits.burn-rate.usd-per-minute}: a loop stopped in minutes although a large daily budget would have let it run. */
public class BurnRateExceededException extends LimitExceededException {
    private static final long serialVersionUID = 1L;

    public BurnRateExceededException(String message, String rule, long observed, long limit, String scope, long estimateMicros) {
        super(message, rule, observed, limit, scope, estimateMicros);
    }
}
