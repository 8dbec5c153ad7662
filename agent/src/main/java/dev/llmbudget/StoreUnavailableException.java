package dev.llmbudget;

/**
 * The shared spend store cannot be reached and {@code store.redis.on-unavailable=refuse} (the
 * default): a call whose spend cannot be checked against the shared budget is not sent.
 */
public class StoreUnavailableException extends BudgetExceededException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, String rule, long estimateMicros) {
        super(message, rule, estimateMicros);
    }
}
