package dev.llmbudget.instrument.context;

/**
 * The run the current thread works for: a {@link RunScope}, a {@link RunScope.Inherited}, or null.
 *
 * <p>Inheritable, so that a thread created inside a run (platform or virtual: {@code new Thread},
 * {@code Thread.ofVirtual()}, {@code Executors.newVirtualThreadPerTaskExecutor()}, the thread per task
 * {@code CompletableFuture} falls back to on a one-core pool) belongs to it with no instrumentation of
 * {@link Thread} at all: the JDK copies the value when it constructs the thread. The worker threads a
 * JDK pool creates while a submitting thread is in a run are kept out of it ({@link Handoffs#detach}
 * around their creation), since they go on to serve every later task.
 */
final class RunSlot extends InheritableThreadLocal<Object> {
    static final RunSlot SLOT = new RunSlot();

    private RunSlot() {
    }

    @Override
    protected Object childValue(Object parentValue) {
        RunScope scope = RunScope.live(parentValue);
        if (scope == null) {
            return null;
        }
        return parentValue instanceof RunScope.Inherited ? parentValue : new RunScope.Inherited(scope);
    }
}
