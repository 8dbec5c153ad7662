package dev.llmbudget.instrument.context;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmbudget.core.Run;
import java.util.concurrent.atomic.AtomicReference;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;

/**
 * The advice the JDK's executors get, with its hooks bound as in the agent (dynamic constants that look
 * {@link Handoffs} up through the system class loader), applied to a stand-in task class: the part a
 * child JVM ({@code RunsIT}) cannot isolate, that the constants resolve and reach {@link Handoffs}.
 */
class HandoffInstrumentationTest {

    @Test
    void aForkedTaskRunsInTheRunItWasForkedInAndTheThreadIsLeftAsItWas() throws Exception {
        Class<?> taskType = new ByteBuddy().redefine(Task.class)
                .visit(HandoffInstrumentation.hooks().to(HandoffInstrumentation.CaptureThis.class).on(named("fork")))
                .visit(HandoffInstrumentation.hooks().to(HandoffInstrumentation.ExecuteThis.class).on(named("doExec")))
                .make()
                .load(new ClassLoader(getClass().getClassLoader()) {
                }, ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded();
        Object task = taskType.getConstructor().newInstance();

        Object token = RunContext.enter("com.acme.Pipeline#run");
        Run run = RunContext.current();
        taskType.getMethod("fork").invoke(task);
        RunContext.exit(token);
        AtomicReference<Object> seen = new AtomicReference<>();
        AtomicReference<Run> after = new AtomicReference<>(run);
        Thread worker = new Thread(() -> {
            try {
                seen.set(taskType.getMethod("doExec").invoke(task));
                after.set(RunContext.current());
            } catch (ReflectiveOperationException e) {
                seen.set(e);
            }
        });
        worker.start();
        worker.join();

        assertSame(run, seen.get());
        assertNull(after.get());
    }

    @Test
    void aWorkerCreatedInADetachedMethodInheritsNoRun() throws Exception {
        Class<?> poolType = new ByteBuddy().redefine(Pool.class)
                .visit(HandoffInstrumentation.hooks().to(HandoffInstrumentation.Detached.class).on(named("addWorker")))
                .make()
                .load(new ClassLoader(getClass().getClassLoader()) {
                }, ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded();

        Object token = RunContext.enter("com.acme.Pipeline#run");
        Object inWorker = poolType.getMethod("addWorker").invoke(null);
        Run stillInRun = RunContext.current();
        RunContext.exit(token);

        assertEquals("none", inWorker);
        assertEquals("com.acme.Pipeline#run", stillInRun.entryPoint());
    }

    /** Stands in for {@code ForkJoinTask}: {@code fork()} hands it off, {@code doExec()} runs it. */
    public static class Task {
        public void fork() {
        }

        public Object doExec() {
            return RunContext.current();
        }
    }

    /** Stands in for {@code ThreadPoolExecutor.addWorker}: starts a worker and says what run it inherited. */
    public static class Pool {
        public static Object addWorker() throws InterruptedException {
            AtomicReference<Object> seen = new AtomicReference<>();
            Thread worker = new Thread(() -> seen.set(RunContext.current() == null ? "none" : RunContext.current().entryPoint()));
            worker.start();
            worker.join();
            return seen.get();
        }
    }
}
