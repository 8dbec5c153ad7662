package dev.llmbudget;

/** One run (task) has made as many LLM calls ({@code limits.task.max-calls}) or used as many tokens ({@code limits.task.max-tokens}) as it may. */
public class TaskLimitExceededException extends LimitExceededException {
    private static final long serialVersionUID = 1L;

    public TaskLimitExceededException(String message, String rule, long observed, long limit, String scope, long estimateMicros) {
        super(message, rule, observed, limit, scope, estimateMicros);
    }
}
