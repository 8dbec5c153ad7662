package dev.llmbudget.instrument.context;

import dev.llmbudget.instrument.WeakIdentityMap;
import dev.llmbudget.log.AgentLog;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the advice in the JDK's executors calls ({@link HandoffInstrumentation}): a task handed to a
 * pool {@linkplain #capture captures} the run of the thread that hands it off, and the pool thread
 * that runs it {@linkplain #adopt adopts} that run for exactly as long as the task runs.
 *
 * <p>Tasks are never wrapped: the run is remembered beside the task, by identity and weakly, so the
 * pool's queue, {@code shutdownNow()}, {@code remove(task)}, a priority queue comparing tasks and the
 * {@code beforeExecute}/{@code afterExecute} hooks of a subclass all see the application's own objects.
 * Every method is cheap when no run is active (one thread-local read, or an emptiness check of the
 * map) and never throws.
 */
public final class Handoffs {
    /** Returned by {@link #adopt} and {@link #detach} when they changed nothing; {@link #restore} then does nothing. */
    private static final Object UNCHANGED = new Object();
    private static final WeakIdentityMap<Object> CAPTURED = new WeakIdentityMap<>();
    /** How long the first run waits for the executors to be instrumented (building ByteBuddy, retransforming). */
    private static final long INSTALL_WAIT_SECONDS = 10;

    private static volatile FutureTask<Void> installation;
    private static final AtomicBoolean installStarted = new AtomicBoolean();
    /** Set when the wait timed out: later runs do not wait again. */
    private static volatile boolean gaveUpWaiting;

    private Handoffs() {
    }

    /**
     * {@code task} is being handed to a pool: it will run in the current thread's run, if any. A task
     * handed off again outside any run forgets the run it was first handed off in.
     */
    public static void capture(Object task) {
        if (task == null) {
            return;
        }
        Object held = RunSlot.SLOT.get();
        if (RunScope.live(held) != null) {
            CAPTURED.put(task, held);
        } else if (!CAPTURED.isEmpty()) {
            CAPTURED.remove(task);
        }
    }

    /**
     * {@code task} starts running on the current thread: the thread takes on the task's run, if it
     * captured one. Returns what to give {@link #restore} when the task ends.
     */
    public static Object adopt(Object task) {
        if (task == null || CAPTURED.isEmpty()) {
            return UNCHANGED;
        }
        Object carried = CAPTURED.get(task);
        if (carried == null) {
            return UNCHANGED;
        }
        Object previous = RunSlot.SLOT.get();
        RunSlot.SLOT.set(carried);
        return previous;
    }

    /** Undoes {@link #adopt} or {@link #detach}. */
    public static void restore(Object saved) {
        if (saved != UNCHANGED) {
            RunSlot.SLOT.set(saved);
        }
    }

    /**
     * Takes the current thread out of its run until {@link #restore}: around the creation of a pool's
     * worker thread, which would otherwise inherit the run for every task it ever runs.
     */
    public static Object detach() {
        Object held = RunSlot.SLOT.get();
        if (held == null) {
            return UNCHANGED;
        }
        RunSlot.SLOT.set(null);
        return held;
    }

    /** A pool thread between tasks belongs to no run. */
    public static void clear() {
        if (RunSlot.SLOT.get() != null) {
            RunSlot.SLOT.set(null);
        }
    }

    /**
     * Runs can exist in this JVM (entry points configured, or LangChain4j's AI services guarded):
     * {@code install} instruments the executors. Nothing starts until {@link #startInstall} or the
     * first run.
     */
    public static void prepareInstall(Runnable install) {
        installation = new FutureTask<>(install, null);
    }

    /** Starts instrumenting the executors in the background, once (a class that begins runs has loaded). */
    public static void startInstall() {
        FutureTask<Void> pending = installation;
        if (pending != null && installStarted.compareAndSet(false, true)) {
            Thread thread = new Thread(pending, "llm-budget-agent-handoffs");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * Called as a run opens: the work it hands off is followed only once the executors are
     * instrumented, so the first run waits for that (bounded; on failure or timeout it goes on).
     */
    static void awaitInstalled() {
        FutureTask<Void> pending = installation;
        if (pending == null || pending.isDone() || gaveUpWaiting) {
            return;
        }
        startInstall();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    pending.get(INSTALL_WAIT_SECONDS, TimeUnit.SECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return; // reported where it failed
                } catch (TimeoutException e) {
                    gaveUpWaiting = true;
                    AgentLog.once("handoffs-slow", AgentLog.Level.WARN, "instrumenting the executors took over "
                            + INSTALL_WAIT_SECONDS + " s; a run's work handed to other threads may not be followed until it is done", null);
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
