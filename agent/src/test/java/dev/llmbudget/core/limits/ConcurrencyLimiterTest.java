package dev.llmbudget.core.limits;

import static dev.llmbudget.core.limits.LimitCalls.call;
import static dev.llmbudget.core.limits.LimitCalls.ok;
import static dev.llmbudget.core.limits.LimitCalls.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.ConcurrencyLimitExceededException;
import dev.llmbudget.core.Partition;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {

    @Test
    void overTheLimitIsRefusedPerPartitionAndAnEndedCallFreesItsSlot() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2, Partition.TENANT, false, Duration.ZERO);
        Ticket first = limiter.admit(call(1, tenant("a")), 0);
        limiter.admit(call(1, tenant("a")), 0);
        ConcurrencyLimitExceededException refused = assertThrows(ConcurrencyLimitExceededException.class,
                () -> limiter.admit(call(1, tenant("a")), 0));
        assertEquals(3, refused.observed());
        assertEquals("tenant a", refused.scope());
        limiter.admit(call(1, tenant("b")), 0);
        first.end(ok(1));
        limiter.admit(call(1, tenant("a")), 0).cancel();
        limiter.admit(call(1, tenant("a")), 0);
    }

    @Test
    void waitingCallersNeverExceedTheLimit() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(3, Partition.GLOBAL, true, Duration.ofSeconds(30));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger highWater = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        CountDownLatch done = new CountDownLatch(12 * 20);
        for (int t = 0; t < 12; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 20; i++) {
                    Ticket ticket = limiter.admit(call(1, tenant("a")), 0);
                    highWater.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    Thread.yield();
                    inFlight.decrementAndGet();
                    ticket.end(ok(1));
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        pool.shutdown();
        assertTrue(highWater.get() <= 3, "at most 3 in flight, saw " + highWater.get());
    }
}
