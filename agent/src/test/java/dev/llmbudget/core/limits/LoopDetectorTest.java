package dev.llmbudget.core.limits;

import static dev.llmbudget.core.limits.LimitCalls.call;
import static dev.llmbudget.core.limits.LimitCalls.inRun;
import static dev.llmbudget.core.limits.LimitCalls.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmbudget.LoopDetectedException;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.Run;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoopDetectorTest {

    @Test
    void theNthIdenticalRequestOfARunIsRefused() {
        LoopDetector loops = new LoopDetector(3, 0, Duration.ofMinutes(10));
        Run run = Run.open("r#run");
        loops.admit(call(1, inRun(run)), 0);
        loops.admit(call(2, inRun(run)), 0);
        loops.admit(call(1, inRun(run)), 0);
        LoopDetectedException refused = assertThrows(LoopDetectedException.class, () -> loops.admit(call(1, inRun(run)), 0));
        assertEquals("limits.loop.identical-requests", refused.rule());
        assertEquals(3, refused.observed());
        // the same request in another run is fine
        loops.admit(call(1, inRun(Run.open("r#run"))), 0);
    }

    @Test
    void pingPongIsRefusedAtTheNthRepetitionOfThePair() {
        LoopDetector loops = new LoopDetector(0, 3, Duration.ofMinutes(10));
        Run run = Run.open("r#run");
        long[] sequence = {10, 20, 10, 20, 10};
        for (long fingerprint : sequence) {
            loops.admit(call(fingerprint, inRun(run)), 0);
        }
        LoopDetectedException refused = assertThrows(LoopDetectedException.class, () -> loops.admit(call(20, inRun(run)), 0));
        assertEquals("limits.loop.ping-pong", refused.rule());
        assertEquals(3, refused.observed());
        // a third request breaks the alternation
        loops.admit(call(30, inRun(run)), 0);
        loops.admit(call(20, inRun(run)), 0);
    }

    @Test
    void outsideRunsEachTenantsWindowCountsAndACancelledRequestIsForgotten() {
        LoopDetector loops = new LoopDetector(2, 0, Duration.ofSeconds(10));
        loops.admit(call(1, tenant("a")), 0).cancel();
        loops.admit(call(1, tenant("a")), 0);
        loops.admit(call(1, tenant("b")), 0);
        assertThrows(LoopDetectedException.class, () -> loops.admit(call(1, tenant("a")), 1_000_000_000L));
        loops.admit(call(1, tenant("a")), 11_000_000_000L);
        loops.admit(call(5, CallScope.NONE), 0);
    }
}
