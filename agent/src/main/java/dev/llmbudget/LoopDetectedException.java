package dev.llmbudget;

/** The run (or, outside runs, the recent window) repeats itself: the same request {@code limits.loop.identical-requests} times, or two requests alternating ({@code limits.loop.ping-pong}). */
public class LoopDetectedException extends LimitExceededException {
    private static final long serialVersionUID = 1L;

    public LoopDetectedException(String message, String rule, long observed, long limit, String scope, long estimateMicros) {
        super(message, rule, observed, limit, scope, estimateMicros);
    }
}
