package dev.llmbudget.core.limits;

import static dev.llmbudget.core.limits.LimitCalls.call;
import static dev.llmbudget.core.limits.LimitCalls.inRun;
import static dev.llmbudget.core.limits.LimitCalls.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.TaskLimitExceededException;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.Run;
import org.junit.jupiter.api.Test;

class RunCapsTest {

    @Test
    void theCallPastMaxCallsIsRefusedNamingTheRunAndTheKey() {
        RunCaps caps = new RunCaps(3, 0);
        Run run = Run.open("com.acme.Pipeline#run");
        for (int i = 0; i < 3; i++) {
            caps.admit(call(i, inRun(run)), 0).end(ok(10));
        }
        TaskLimitExceededException refused = assertThrows(TaskLimitExceededException.class, () -> caps.admit(call(9, inRun(run)), 0));
        assertEquals("limits.task.max-calls", refused.rule());
        assertEquals(4, refused.observed());
        assertEquals(3, refused.limit());
        assertEquals(run.id(), refused.scope());
        assertTrue(refused.getMessage().contains("com.acme.Pipeline#run"), refused.getMessage());
        // another run has its own count; calls outside runs are not counted
        caps.admit(call(1, inRun(Run.open("other#run"))), 0);
        for (int i = 0; i < 10; i++) {
            caps.admit(call(i, CallScope.NONE), 0);
        }
    }

    @Test
    void aCancelledCallDoesNotCountAndTokensAreHeldAtTheWorstCaseUntilTheCallEnds() {
        RunCaps caps = new RunCaps(2, 250);
        Run run = Run.open("r#run");
        caps.admit(call("m", 1, inRun(run), 100), 0).cancel();
        Ticket first = caps.admit(call("m", 1, inRun(run), 100), 0);
        Ticket second = caps.admit(call("m", 2, inRun(run), 100), 0);
        first.end(ok(20));
        second.end(ok(30));
        // 50 used of 250: a third call is over max-calls, not max-tokens
        assertEquals("limits.task.max-calls", assertThrows(TaskLimitExceededException.class,
                () -> caps.admit(call("m", 3, inRun(run), 10), 0)).rule());

        RunCaps tokens = new RunCaps(0, 250);
        Run other = Run.open("r#run");
        tokens.admit(call("m", 1, inRun(other), 200), 0);
        TaskLimitExceededException refused = assertThrows(TaskLimitExceededException.class,
                () -> tokens.admit(call("m", 2, inRun(other), 100), 0));
        assertEquals("limits.task.max-tokens", refused.rule());
        assertEquals(300, refused.observed());
    }
}
