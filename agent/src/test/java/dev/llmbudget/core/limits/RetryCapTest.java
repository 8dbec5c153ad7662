package dev.llmbudget.core.limits;

import static dev.llmbudget.core.limits.LimitCalls.call;
import static dev.llmbudget.core.limits.LimitCalls.failed;
import static dev.llmbudget.core.limits.LimitCalls.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmbudget.RetryLimitExceededException;
import dev.llmbudget.core.CallScope;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryCapTest {
    private final LimitCalls clock = new LimitCalls();
    private final RetryCap cap = new RetryCap(3, Duration.ofMinutes(10), clock::now);

    @Test
    void sdkRetriesInsideOneCallCountAttemptByAttempt() {
        cap.admit(call(7, CallScope.NONE), clock.now()).end(failed(3));
        RetryLimitExceededException refused = assertThrows(RetryLimitExceededException.class,
                () -> cap.admit(call(7, CallScope.NONE), clock.now()));
        assertEquals("limits.retry.max-attempts", refused.rule());
        assertEquals(4, refused.observed());
        // a different request is not a retry
        cap.admit(call(8, CallScope.NONE), clock.now());
    }

    @Test
    void aSuccessForgetsAndTheWindowExpiresFailures() {
        cap.admit(call(7, CallScope.NONE), clock.now()).end(failed(2));
        cap.admit(call(7, CallScope.NONE), clock.now()).end(ok(10));
        cap.admit(call(7, CallScope.NONE), clock.now()).end(failed(2));
        cap.admit(call(7, CallScope.NONE), clock.now()).end(failed(1));
        assertThrows(RetryLimitExceededException.class, () -> cap.admit(call(7, CallScope.NONE), clock.now()));
        clock.advanceMillis(Duration.ofMinutes(11).toMillis());
        cap.admit(call(7, CallScope.NONE), clock.now());
    }

    @Test
    void aRejectedRequestCountsToo() {
        for (int i = 0; i < 3; i++) {
            cap.admit(call(5, CallScope.NONE), clock.now()).end(new CallEnd(CallEnd.Failure.REQUEST, 1, 0));
        }
        assertThrows(RetryLimitExceededException.class, () -> cap.admit(call(5, CallScope.NONE), clock.now()));
    }
}
