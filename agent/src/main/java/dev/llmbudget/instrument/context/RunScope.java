package dev.llmbudget.instrument.context;

import dev.llmbudget.core.Run;

/**
 * A {@link Run} as a thread holds it ({@link RunSlot}). The thread that opened the run, and every task
 * handed off from it to an executor, hold the run itself: a task carries its run however long it
 * waits in a queue or runs on after the entry point returned, since it is work the run asked for.
 * A thread created inside the run holds it only {@linkplain Inherited while the run is open}: a
 * thread may outlive its creator's purpose (a worker of a pool the agent does not know, a timer
 * thread), and must not go on counting unrelated work toward a run that has ended.
 */
final class RunScope {
    final Run run;
    private volatile boolean ended;

    RunScope(Run run) {
        this.run = run;
    }

    /** The entry point that opened the run returned (or threw). */
    void end() {
        ended = true;
    }

    /**
     * The run a slot value stands for, or null: none, or inherited by a thread from a run that has
     * since ended.
     */
    static Run runOf(Object held) {
        RunScope scope = live(held);
        return scope == null ? null : scope.run;
    }

    /** The scope a slot value stands for, or null (see {@link #runOf}). */
    static RunScope live(Object held) {
        if (held instanceof RunScope scope) {
            return scope;
        }
        if (held instanceof Inherited inherited && !inherited.scope.ended) {
            return inherited.scope;
        }
        return null;
    }

    /** What a new thread holds of its creator's run. */
    static final class Inherited {
        final RunScope scope;

        Inherited(RunScope scope) {
            this.scope = scope;
        }
    }
}
