package dev.llmbudget.instrument.context;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.utility.JavaConstant;

/**
 * Makes a run follow the work a thread hands to the JDK's pools: {@code ThreadPoolExecutor} (every
 * {@code ExecutorService} of {@code Executors} but the thread-per-task ones), {@code ScheduledThreadPoolExecutor}
 * and {@code ForkJoinPool} (the common pool included: {@code CompletableFuture}'s async stages, parallel
 * streams). A task captures the run when it is handed off and the pool thread adopts it only while the
 * task runs; the worker threads a pool creates never inherit one (see {@link Handoffs}). New threads,
 * virtual ones included, need nothing here: {@link RunSlot} is inherited.
 *
 * <p><b>Reaching the agent from java.base.</b> These classes are defined by the bootstrap loader, which
 * cannot resolve the agent's classes. Rather than add classes to the boot class path (which makes the JVM
 * print a class-sharing warning on the host's stderr) or define them in the boot loader through JDK
 * internals, each call to {@link Handoffs} is a {@link MethodHandle} loaded from a dynamic constant
 * ({@code ldc} of a {@code CONSTANT_Dynamic}) whose bootstrap chain uses {@code java.base} only:
 * {@code ClassLoader.getSystemClassLoader().loadClass("...Handoffs")}, then
 * {@code MethodHandles.publicLookup().findStatic(...)}. The constant is resolved once per instrumented
 * class and is a true constant to the JIT, which inlines the call: on the hot path (every task
 * submitted, every task run) the cost without a run is one thread-local read or an emptiness check,
 * with no reflection and no allocation. The agent jar is always on the system class path, so the lookup
 * cannot miss; if it ever failed, the advice's {@code suppress} would keep the pool working, unfollowed.
 */
public final class HandoffInstrumentation {
    private static final String THREAD_POOL = "java.util.concurrent.ThreadPoolExecutor";
    private static final String POOL_WORKER = "java.util.concurrent.ThreadPoolExecutor$Worker";
    private static final String SCHEDULED_POOL = "java.util.concurrent.ScheduledThreadPoolExecutor";
    private static final String FORK_JOIN_POOL = "java.util.concurrent.ForkJoinPool";
    private static final String FORK_JOIN_TASK = "java.util.concurrent.ForkJoinTask";

    /** The classes instrumented here, by binary name. */
    public static final Set<String> TYPES = Set.of(THREAD_POOL, POOL_WORKER, SCHEDULED_POOL, FORK_JOIN_POOL, FORK_JOIN_TASK);

    private HandoffInstrumentation() {
    }

    /**
     * The advice, into every JDK version from 17 on: methods are matched by name and signature, and
     * one missing in some version (17's {@code ForkJoinPool.externalSubmit} is 21+'s {@code poolSubmit})
     * is simply not matched.
     */
    public static AgentBuilder extend(AgentBuilder builder) {
        Advice.WithCustomMapping hooks = hooks();
        ClassLoader agentLoader = HandoffInstrumentation.class.getClassLoader();
        return builder
                .type(named(THREAD_POOL))
                .transform(new AgentBuilder.Transformer.ForAdvice(hooks).include(agentLoader)
                        .advice(named("execute").and(takesArguments(Runnable.class)), CaptureFirstArgument.class.getName())
                        .advice(named("addWorker").and(takesArguments(Runnable.class, boolean.class)), Detached.class.getName())
                        .advice(named("getTask").and(takesArguments(0)), TakeTask.class.getName())
                        .advice(named("beforeExecute").and(takesArguments(Thread.class, Runnable.class)), BeforeExecute.class.getName()))
                .type(named(POOL_WORKER))
                .transform(new AgentBuilder.Transformer.ForAdvice(hooks).include(agentLoader)
                        .advice(named("run").and(takesArguments(0)), WorkerRun.class.getName()))
                .type(named(SCHEDULED_POOL))
                .transform(new AgentBuilder.Transformer.ForAdvice(hooks).include(agentLoader)
                        .advice(named("delayedExecute").and(takesArguments(1)), CaptureFirstArgument.class.getName()))
                .type(named(FORK_JOIN_POOL))
                .transform(new AgentBuilder.Transformer.ForAdvice(hooks).include(agentLoader)
                        // JDK 17: every external submission; JDK 21+: poolSubmit is, and externalSubmit calls it
                        .advice(named("externalSubmit").and(takesArguments(1)).and(takesArgument(0, named(FORK_JOIN_TASK))),
                                CaptureFirstArgument.class.getName())
                        .advice(named("poolSubmit").and(takesArguments(2)).and(takesArgument(1, named(FORK_JOIN_TASK))),
                                CaptureSecondArgument.class.getName())
                        .advice(named("createWorker").and(takesArguments(0)), Detached.class.getName()))
                .type(named(FORK_JOIN_TASK))
                .transform(new AgentBuilder.Transformer.ForAdvice(hooks).include(agentLoader)
                        .advice(named("fork").and(takesArguments(0)), CaptureThis.class.getName())
                        .advice(named("doExec").and(takesArguments(0)), ExecuteThis.class.getName()));
    }

    /** The advice's {@code @Capture MethodHandle}, ... parameters, each bound to its {@link Handoffs} method. */
    static Advice.WithCustomMapping hooks() {
        return Advice.withCustomMapping()
                .bind(Capture.class, hook("capture", void.class, Object.class))
                .bind(Adopt.class, hook("adopt", Object.class, Object.class))
                .bind(Restore.class, hook("restore", void.class, Object.class))
                .bind(Detach.class, hook("detach", Object.class))
                .bind(Clear.class, hook("clear", void.class));
    }

    /** {@code Handoffs.<name>} as a dynamic constant resolvable from a class of the bootstrap loader. */
    private static JavaConstant hook(String name, Class<?> returnType, Class<?>... parameterTypes) {
        try {
            JavaConstant.Dynamic systemLoader = JavaConstant.Dynamic.ofInvocation(ClassLoader.class.getMethod("getSystemClassLoader"));
            JavaConstant.Dynamic handoffs = JavaConstant.Dynamic.ofInvocation(ClassLoader.class.getMethod("loadClass", String.class),
                    systemLoader, Handoffs.class.getName());
            JavaConstant.Dynamic publicLookup = JavaConstant.Dynamic.ofInvocation(MethodHandles.class.getMethod("publicLookup"));
            return JavaConstant.Dynamic.ofInvocation(
                    MethodHandles.Lookup.class.getMethod("findStatic", Class.class, String.class, MethodType.class),
                    publicLookup, handoffs, name, JavaConstant.MethodType.of(returnType, parameterTypes));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link Handoffs#capture}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface Capture {
    }

    /** {@link Handoffs#adopt}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface Adopt {
    }

    /** {@link Handoffs#restore}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface Restore {
    }

    /** {@link Handoffs#detach}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface Detach {
    }

    /** {@link Handoffs#clear}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface Clear {
    }

    /** A task handed off as the first argument: {@code execute(Runnable)}, {@code delayedExecute}, {@code externalSubmit}. */
    public static final class CaptureFirstArgument {
        private CaptureFirstArgument() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object task, @Capture MethodHandle capture) throws Throwable {
            capture.invokeExact(task);
        }
    }

    /** {@code ForkJoinPool.poolSubmit(boolean, ForkJoinTask)}. */
    public static final class CaptureSecondArgument {
        private CaptureSecondArgument() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(1) Object task, @Capture MethodHandle capture) throws Throwable {
            capture.invokeExact(task);
        }
    }

    /** {@code ForkJoinTask.fork()}: the task pushes itself on a pool's queue. */
    public static final class CaptureThis {
        private CaptureThis() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object task, @Capture MethodHandle capture) throws Throwable {
            capture.invokeExact(task);
        }
    }

    /** {@code ForkJoinTask.doExec()}: the task runs in its run, then the thread goes back to what it was in. */
    public static final class ExecuteThis {
        private ExecuteThis() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter(@Advice.This Object task, @Adopt MethodHandle adopt) throws Throwable {
            return (Object) adopt.invokeExact(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter Object saved, @Restore MethodHandle restore) throws Throwable {
            restore.invokeExact(saved);
        }
    }

    /**
     * {@code ThreadPoolExecutor.addWorker}, {@code ForkJoinPool.createWorker}: a worker thread created
     * while the submitting thread is in a run must not inherit it.
     */
    public static final class Detached {
        private Detached() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter(@Detach MethodHandle detach) throws Throwable {
            return (Object) detach.invokeExact();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter Object saved, @Restore MethodHandle restore) throws Throwable {
            restore.invokeExact(saved);
        }
    }

    /**
     * {@code ThreadPoolExecutor.getTask()}: between two tasks a worker belongs to no run; the task it
     * takes brings its own. (A subclass's {@code afterExecute} still runs in the task's run.)
     */
    public static final class TakeTask {
        private TakeTask() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Clear MethodHandle clear) throws Throwable {
            clear.invokeExact();
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Return Object task, @Adopt MethodHandle adopt) throws Throwable {
            Object ignored = (Object) adopt.invokeExact(task);
        }
    }

    /**
     * {@code ThreadPoolExecutor.beforeExecute(Thread, Runnable)}, called just before each task runs: adopts
     * the task's run again, for the worker that was already waiting inside {@code getTask} when the
     * executors were instrumented (that call is still the old code, and the task it returns would run
     * unfollowed). A subclass that overrides it without calling {@code super} relies on {@link TakeTask} alone.
     */
    public static final class BeforeExecute {
        private BeforeExecute() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(1) Object task, @Adopt MethodHandle adopt) throws Throwable {
            Object ignored = (Object) adopt.invokeExact(task);
        }
    }

    /** {@code ThreadPoolExecutor.Worker.run()}: the first task a new worker runs does not pass through {@code getTask}. */
    public static final class WorkerRun {
        private WorkerRun() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("firstTask") Object firstTask, @Adopt MethodHandle adopt) throws Throwable {
            Object ignored = (Object) adopt.invokeExact(firstTask);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Clear MethodHandle clear) throws Throwable {
            clear.invokeExact();
        }
    }
}
