package dev.llmbudget;

/** More calls ({@code limits.rate.calls-per-minute}) or tokens ({@code limits.rate.tokens-per-minute}) per minute than allowed, and waiting ({@code limits.rate.action=wait}) would exceed {@code limits.rate.max-wait} or is not configured. */
public class RateLimitExceededException extends LimitExceededException {
    private static final long serialVersionUID = 1L;

    public RateLimitExceededException(String message, String rule, long observed, long limit, String scope, long estimateMicros) {
        super(message, rule, observed, limit, scope, estimateMicros);
    }
}
