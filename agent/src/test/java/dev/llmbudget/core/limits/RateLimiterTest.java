package dev.llmbudget.core.limits;

import static dev.llmbudget.core.limits.LimitCalls.call;
import static dev.llmbudget.core.limits.LimitCalls.ok;
import static dev.llmbudget.core.limits.LimitCalls.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.RateLimitExceededException;
import dev.llmbudget.core.Partition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final List<Long> pauses = new ArrayList<>();

    @Test
    void aMinutesAllowanceMayBeUsedAtOnceThenRefillsEvenly() {
        RateLimiter rate = new RateLimiter("limits.rate.calls-per-minute", 6, false, Partition.TENANT, false, Duration.ZERO, pauses::add);
        long now = 0;
        for (int i = 0; i < 6; i++) {
            rate.admit(call(i, tenant("a")), now);
        }
        RateLimitExceededException refused = assertThrows(RateLimitExceededException.class, () -> rate.admit(call(9, tenant("a")), 0));
        assertEquals("limits.rate.calls-per-minute", refused.rule());
        assertEquals("tenant a", refused.scope());
        rate.admit(call(9, tenant("b")), 0);
        // one call's worth (10 s) later there is room for one more
        rate.admit(call(9, tenant("a")), 10_000_000_000L);
        assertThrows(RateLimitExceededException.class, () -> rate.admit(call(9, tenant("a")), 10_000_000_000L));
    }

    @Test
    void waitPacesTheCallerUpToMaxWait() {
        RateLimiter rate = new RateLimiter("limits.rate.calls-per-minute", 60, false, Partition.GLOBAL, true,
                Duration.ofSeconds(2), pauses::add);
        for (int i = 0; i < 60; i++) {
            rate.admit(call(i, tenant("a")), 0);
        }
        rate.admit(call(1, tenant("a")), 0);
        rate.admit(call(1, tenant("a")), 0);
        assertEquals(List.of(1_000_000_000L, 2_000_000_000L), pauses);
        assertTrue(assertThrows(RateLimitExceededException.class, () -> rate.admit(call(1, tenant("a")), 0))
                .getMessage().contains("max-wait"));
    }

    @Test
    void tokensAreTakenAtTheWorstCaseAndTheUnusedPartGivenBack() {
        RateLimiter rate = new RateLimiter("limits.rate.tokens-per-minute", 1000, true, Partition.GLOBAL, false, Duration.ZERO,
                pauses::add);
        rate.admit(call("m", 1, tenant("a"), 600), 0).end(ok(100));
        rate.admit(call("m", 2, tenant("a"), 600), 0).cancel();
        rate.admit(call("m", 3, tenant("a"), 800), 0);
        assertThrows(RateLimitExceededException.class, () -> rate.admit(call("m", 4, tenant("a"), 200), 0));
    }
}
