package dev.llmbudget.instrument.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmbudget.core.Run;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunContextTest {

    @AfterEach
    void noRunLeftOnTheTestThread() {
        assertNull(RunContext.current(), "a test left a run on its thread");
    }

    @Test
    void anEntryPointOpensARunNamedAfterItAndClosesItOnExit() {
        assertNull(RunContext.current());

        Object token = RunContext.enter("com.acme.Pipeline#run");
        Run run = RunContext.current();
        RunContext.exit(token);

        assertNotNull(run);
        assertEquals("com.acme.Pipeline#run", run.entryPoint());
        assertNull(RunContext.current());
    }

    @Test
    void nestedInvocationsBelongToTheOuterRun() {
        Object outer = RunContext.enter("com.acme.Pipeline#run");
        Run run = RunContext.current();
        Object inner = RunContext.enter("com.acme.Agent#step");
        Run innerRun = RunContext.current();
        RunContext.exit(inner);
        Run afterInner = RunContext.current();
        RunContext.exit(outer);

        assertSame(run, innerRun);
        assertSame(run, afterInner, "the inner exit must not close the outer run");
        assertEquals("com.acme.Pipeline#run", run.entryPoint());
    }

    @Test
    void eachInvocationIsItsOwnRun() {
        Object first = RunContext.enter("com.acme.Pipeline#run");
        Run firstRun = RunContext.current();
        RunContext.exit(first);
        Object second = RunContext.enter("com.acme.Pipeline#run");
        Run secondRun = RunContext.current();
        RunContext.exit(second);

        assertNotEquals(firstRun.id(), secondRun.id());
    }

    @Test
    void anEntryPointThatThrowsStillClosesItsRun() {
        // as the advice does: exit on the way out, thrown or not
        assertThrows(IllegalStateException.class, () -> {
            Object token = RunContext.enter("com.acme.Pipeline#run");
            try {
                throw new IllegalStateException("the application's own failure");
            } finally {
                RunContext.exit(token);
            }
        });
        assertNull(RunContext.current());
    }

    @Test
    void exitIgnoresATokenEnterDidNotGive() {
        // a failed enter (suppressed in the advice) leaves exit a null token
        RunContext.exit(null);
        RunContext.exit("not a token");
        Object token = RunContext.enter("com.acme.Pipeline#run");
        RunContext.exit("not a token");
        Run stillOpen = RunContext.current();
        RunContext.exit(token);

        assertNotNull(stillOpen);
    }

    @Test
    void aThreadStartedInARunBelongsToItWhileTheRunIsOpen() throws Exception {
        CountDownLatch looked = new CountDownLatch(1);
        CountDownLatch runEnded = new CountDownLatch(1);
        AtomicReference<Run> whileOpen = new AtomicReference<>();
        AtomicReference<Run> afterEnd = new AtomicReference<>(Run.open("placeholder"));

        Object token = RunContext.enter("com.acme.Pipeline#run");
        Run run = RunContext.current();
        Thread child = new Thread(() -> {
            whileOpen.set(RunContext.current());
            looked.countDown();
            await(runEnded);
            afterEnd.set(RunContext.current());
        });
        child.start();
        await(looked);
        RunContext.exit(token);
        runEnded.countDown();
        child.join();

        assertSame(run, whileOpen.get());
        assertNull(afterEnd.get(), "a thread only inherits a run until it ends (it may be some library's pool worker)");
    }

    @Test
    void aThreadStartedOutsideAnyRunHasNone() throws Exception {
        assertNull(onNewThread(RunContext::current));
    }

    @Test
    void anEntryPointOnAThreadWhoseInheritedRunEndedOpensANewRun() throws Exception {
        CountDownLatch runEnded = new CountDownLatch(1);
        AtomicReference<Run> opened = new AtomicReference<>();
        Object token = RunContext.enter("com.acme.Pipeline#run");
        Run outer = RunContext.current();
        Thread child = new Thread(() -> {
            await(runEnded);
            Object inner = RunContext.enter("com.acme.Agent#step");
            opened.set(RunContext.current());
            RunContext.exit(inner);
        });
        child.start();
        RunContext.exit(token);
        runEnded.countDown();
        child.join();

        assertNotNull(opened.get());
        assertNotEquals(outer.id(), opened.get().id());
        assertEquals("com.acme.Agent#step", opened.get().entryPoint());
    }

    @Test
    void aTaskCapturedInARunRunsInItOnAnotherThreadAndLeavesThatThreadAsItWas() throws Exception {
        Object task = new Object();
        Object token = RunContext.enter("com.acme.Pipeline#run");
        Run run = RunContext.current();
        Handoffs.capture(task);
        RunContext.exit(token);

        // the worker pool's thread: adopts the task's run for the task only; the task outlives the entry point
        Run[] seen = onNewThread(() -> {
            Run before = RunContext.current();
            Object saved = Handoffs.adopt(task);
            Run during = RunContext.current();
            Handoffs.restore(saved);
            return new Run[] {before, during, RunContext.current()};
        });

        assertNull(seen[0]);
        assertSame(run, seen[1]);
        assertNull(seen[2]);
    }

    @Test
    void aTaskHandedOffAgainOutsideAnyRunForgetsItsFirstRun() throws Exception {
        Object task = new Object();
        Object token = RunContext.enter("com.acme.Pipeline#run");
        Handoffs.capture(task);
        RunContext.exit(token);
        Handoffs.capture(task);

        assertNull(onNewThread(() -> {
            Object saved = Handoffs.adopt(task);
            Run during = RunContext.current();
            Handoffs.restore(saved);
            return during;
        }));
    }

    @Test
    void aTaskThatCapturedNothingLeavesTheThreadInItsOwnRun() {
        // a parallel stream's first task runs on the calling thread, which is in the run
        Object token = RunContext.enter("com.acme.Pipeline#run");
        Run run = RunContext.current();
        Object saved = Handoffs.adopt(new Object());
        Run during = RunContext.current();
        Handoffs.restore(saved);
        Run after = RunContext.current();
        RunContext.exit(token);

        assertSame(run, during);
        assertSame(run, after);
    }

    @Test
    void aWorkerThreadCreatedWhileDetachedInheritsNoRun() throws Exception {
        Object token = RunContext.enter("com.acme.Pipeline#run");
        Run run = RunContext.current();
        Object saved = Handoffs.detach();
        Run whileDetached = RunContext.current();
        Run[] inWorker = new Run[1];
        Thread worker = new Thread(() -> inWorker[0] = RunContext.current());
        Handoffs.restore(saved);
        Run afterRestore = RunContext.current();
        worker.start();
        worker.join();
        RunContext.exit(token);

        assertNull(whileDetached);
        assertNull(inWorker[0], "a pool's worker created inside a run must not inherit it");
        assertSame(run, afterRestore);
    }

    @Test
    void clearTakesAPoolThreadOutOfItsLastTasksRun() {
        Object token = RunContext.enter("com.acme.Pipeline#run");
        Handoffs.clear();
        Run afterClear = RunContext.current();
        RunContext.exit(token);

        assertNull(afterClear);
    }

    private static <T> T onNewThread(java.util.concurrent.Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                result.set(work.call());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
