package dev.llmbudget.agent;

import dev.llmbudget.core.CallGate;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Permit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The gate while the guard is being built off the JVM's start path (price table, tokenizer, ledger).
 * A call that arrives first waits for it: no call is ever let through because the agent was not ready.
 * If building fails, every call gets that failure, which the interception point handles under
 * {@code on-internal-error} like any other internal error.
 */
final class DeferredGate implements CallGate {
    private final FutureTask<CallGate> building;

    DeferredGate(FutureTask<CallGate> building) {
        this.building = building;
    }

    /** Starts building on a daemon thread: a JVM that exits before its first LLM call never waits for it. */
    static DeferredGate start(FutureTask<CallGate> building) {
        Thread thread = new Thread(building, "llm-budget-agent-init");
        thread.setDaemon(true);
        thread.start();
        return new DeferredGate(building);
    }

    @Override
    public Permit preflight(LlmCall call) {
        return ready().preflight(call);
    }

    @Override
    public void recordUnguarded(LlmCall call, String detail) {
        ready().recordUnguarded(call, detail);
    }

    private CallGate ready() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return building.get();
                } catch (InterruptedException e) {
                    // the decision cannot be skipped: wait on, and restore the flag for the caller
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("llm-budget-agent failed to build its guard: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
