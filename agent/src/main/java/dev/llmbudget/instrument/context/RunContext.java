package dev.llmbudget.instrument.context;

import dev.llmbudget.core.Run;
import dev.llmbudget.log.AgentLog;

/**
 * The {@link Run} of the current thread. An entry point ({@code task.entry-points}, a LangChain4j AI-service
 * method) calls {@link #enter} as it begins and {@link #exit} as it returns or throws: the outermost one
 * opens a run, the ones it calls, on any thread the run reached, belong to it. Never throws.
 */
public final class RunContext {
    /** {@link #enter} found a run already open on this thread: {@link #exit} leaves it open. */
    private static final Object NESTED = new Object();

    private RunContext() {
    }

    /** The run the current thread works for, or null. */
    public static Run current() {
        return RunScope.runOf(RunSlot.SLOT.get());
    }

    /**
     * An entry point begins: opens a run named {@code entryPoint} ({@code Class#method}) unless the
     * thread is already in one. Returns the token to give {@link #exit}.
     */
    public static Object enter(String entryPoint) {
        try {
            Object held = RunSlot.SLOT.get();
            if (RunScope.live(held) != null) {
                return NESTED;
            }
            Handoffs.awaitInstalled();
            RunScope scope = new RunScope(Run.open(entryPoint));
            RunSlot.SLOT.set(scope);
            return new Opened(scope, held);
        } catch (Throwable error) {
            AgentLog.once("run-enter", AgentLog.Level.ERROR, "cannot open a run for " + entryPoint
                    + "; calls in it are counted outside any run", error);
            return null;
        }
    }

    /** The entry point {@link #enter} returned {@code token} for has returned or thrown. */
    public static void exit(Object token) {
        if (token instanceof Opened opened) {
            opened.scope.end();
            RunSlot.SLOT.set(opened.previous);
        }
    }

    /** A run {@link #enter} opened, and what the thread held before. */
    private static final class Opened {
        final RunScope scope;
        final Object previous;

        Opened(RunScope scope, Object previous) {
            this.scope = scope;
            this.previous = previous;
        }
    }
}
