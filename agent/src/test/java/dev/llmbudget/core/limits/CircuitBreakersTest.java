package dev.llmbudget.core.limits;

import static dev.llmbudget.core.limits.LimitCalls.call;
import static dev.llmbudget.core.limits.LimitCalls.failed;
import static dev.llmbudget.core.limits.LimitCalls.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.CircuitOpenException;
import dev.llmbudget.core.CallScope;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {
    private final LimitCalls clock = new LimitCalls();
    private final CircuitBreakers breakers = new CircuitBreakers(5, Duration.ofMinutes(1), Duration.ofSeconds(30), clock::now);

    @Test
    void failuresOpenTheCircuitThenOneProbeDecides() {
        breakers.admit(call(1, CallScope.NONE), clock.now()).end(failed(3));
        breakers.admit(call(2, CallScope.NONE), clock.now()).end(new CallEnd(CallEnd.Failure.REQUEST, 1, 0));
        breakers.admit(call(3, CallScope.NONE), clock.now()).end(failed(2));
        CircuitOpenException open = assertThrows(CircuitOpenException.class, () -> breakers.admit(call(4, CallScope.NONE), clock.now()));
        assertEquals("limits.circuit.failures", open.rule());
        assertEquals(5, open.observed());
        assertEquals("openai gpt-4o", open.scope());
        assertTrue(open.getMessage().contains("30s"), open.getMessage());
        // another model has its own circuit
        breakers.admit(call("gpt-4o-mini", 1, CallScope.NONE, 10), clock.now()).end(ok(1));

        clock.advanceMillis(30_001);
        Ticket probe = breakers.admit(call(5, CallScope.NONE), clock.now());
        assertTrue(assertThrows(CircuitOpenException.class, () -> breakers.admit(call(6, CallScope.NONE), clock.now()))
                .getMessage().contains("probe call is in flight"));
        probe.end(failed(1));
        assertThrows(CircuitOpenException.class, () -> breakers.admit(call(6, CallScope.NONE), clock.now()));

        clock.advanceMillis(30_001);
        breakers.admit(call(7, CallScope.NONE), clock.now()).end(ok(1));
        for (int i = 0; i < 4; i++) {
            breakers.admit(call(8, CallScope.NONE), clock.now()).end(failed(1));
        }
        breakers.admit(call(9, CallScope.NONE), clock.now());
    }

    @Test
    void failuresOutsideTheWindowDoNotCountAndACancelledProbeFreesTheSlot() {
        breakers.admit(call(1, CallScope.NONE), clock.now()).end(failed(4));
        clock.advanceMillis(61_000);
        breakers.admit(call(1, CallScope.NONE), clock.now()).end(failed(4));
        breakers.admit(call(1, CallScope.NONE), clock.now()).end(ok(1));
        breakers.admit(call(1, CallScope.NONE), clock.now()).end(failed(1));
        assertThrows(CircuitOpenException.class, () -> breakers.admit(call(1, CallScope.NONE), clock.now()));
        clock.advanceMillis(31_000);
        breakers.admit(call(1, CallScope.NONE), clock.now()).cancel();
        breakers.admit(call(1, CallScope.NONE), clock.now()).end(ok(1));
    }
}
