package dev.llmbudget.core.limits;

import dev.llmbudget.TaskLimitExceededException;
import dev.llmbudget.core.Run;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code limits.task.max-calls} and {@code limits.task.max-tokens}: what one run may use. A call's
 * worst-case tokens count while it is in flight and are replaced by what it used when it ends, as
 * budgets do with money. Calls outside any run are not counted.
 */
final class RunCaps implements CallLimit {
    static final String MAX_CALLS = "limits.task.max-calls";
    static final String MAX_TOKENS = "limits.task.max-tokens";

    private final long maxCalls;
    private final long maxTokens;

    RunCaps(long maxCalls, long maxTokens) {
        this.maxCalls = maxCalls;
        this.maxTokens = maxTokens;
    }

    /** A run's counts; kept on the run itself. */
    static final class Counts {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong tokens = new AtomicLong();
    }

    @Override
    public Ticket admit(LimitedCall call, long nowNanos) {
        Run run = call.scope().run();
        if (run == null) {
            return Ticket.NONE;
        }
        Counts counts = run.state(RunCaps.class, owner -> new Counts());
        if (maxCalls > 0) {
            long calls = counts.calls.incrementAndGet();
            if (calls > maxCalls) {
                counts.calls.decrementAndGet();
                throw new TaskLimitExceededException("llm-budget-agent refused this " + call.what() + " before sending it: run "
                        + run + " has made " + maxCalls + " LLM calls, the most " + MAX_CALLS + "=" + maxCalls
                        + " allows one run. A run that needs more is likely looping; raise " + MAX_CALLS + " if it is not.",
                        MAX_CALLS, calls, maxCalls, run.id(), call.worstCaseMicros());
            }
        } else {
            counts.calls.incrementAndGet();
        }
        long held = call.worstCaseTokens();
        if (maxTokens > 0) {
            long tokens = counts.tokens.addAndGet(held);
            if (tokens > maxTokens) {
                counts.tokens.addAndGet(-held);
                counts.calls.decrementAndGet();
                throw new TaskLimitExceededException("llm-budget-agent refused this " + call.what() + " before sending it: run "
                        + run + " has used " + (tokens - held) + " tokens and this call may use up to " + held
                        + ", over " + MAX_TOKENS + "=" + maxTokens + ". Raise " + MAX_TOKENS + " to allow more.",
                        MAX_TOKENS, tokens, maxTokens, run.id(), call.worstCaseMicros());
            }
        } else {
            counts.tokens.addAndGet(held);
        }
        return new Ticket() {
            @Override
            public void end(CallEnd end) {
                counts.tokens.addAndGet(end.tokens() - held);
            }

            @Override
            public void cancel() {
                counts.tokens.addAndGet(-held);
                counts.calls.decrementAndGet();
            }
        };
    }
}
