package dev.llmbudget.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.ReserveResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two stores (two JVMs, as far as Redis can tell) on one prefix, 16 threads each, racing for one limit: the
 * limit holds, and every hold is gone at the end.
 */
class RedisStoreConcurrencyTest {
    private static final int STORES = 2;
    private static final int THREADS_PER_STORE = 16;
    private static final long CALL = 1_000;
    private static final long LIMIT = 1_000_000;

    private final RedisFixture redis = new RedisFixture();
    private final List<RedisStore> stores = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        stores.forEach(RedisStore::close);
        redis.close();
    }

    @Test
    void parallelCallsFromTwoStoresNeverPassTheLimitAndLeakNoHold() throws Exception {
        for (int i = 0; i < STORES; i++) {
            stores.add(new RedisStore(redis.options()));
        }
        // 10_000 spent in the earlier bucket of a rolling window; a total budget that never binds
        AccountRef earlier = new AccountRef("rolling", "rolling/global/b1", LIMIT, 0);
        stores.get(0).settle(((ReserveResult.Granted) stores.get(0).reserve("seed", List.of(earlier), 10_000))
                .reservation(), 10_000);
        AccountRef current = new AccountRef("rolling", "rolling/global/b2", List.of("rolling/global/b1"), LIMIT, 0);
        AccountRef total = new AccountRef("total", "total/global/total", 100 * LIMIT, 0);

        AtomicLong settled = new AtomicLong();
        AtomicLong granted = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(STORES * THREADS_PER_STORE);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ReserveResult>> workers = new ArrayList<>();
        for (int s = 0; s < STORES; s++) {
            RedisStore store = stores.get(s);
            for (int t = 0; t < THREADS_PER_STORE; t++) {
                String thread = s + "-" + t;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; ; n++) {
                        ReserveResult result = store.reserve("c" + thread + "-" + n, List.of(total, current), CALL);
                        if (!(result instanceof ReserveResult.Granted g)) {
                            return result; // refused: the window is full
                        }
                        granted.incrementAndGet();
                        if (n % 7 == 3) {
                            store.release(g.reservation());
                        } else {
                            long actual = ThreadLocalRandom.current().nextLong(CALL / 2, CALL + 1);
                            store.settle(g.reservation(), actual);
                            settled.addAndGet(actual);
                        }
                    }
                }));
            }
        }
        start.countDown();
        for (Future<ReserveResult> worker : workers) {
            ReserveResult last = worker.get(60, TimeUnit.SECONDS);
            assertInstanceOf(ReserveResult.Denied.class, last, "each thread stops at a refusal by the limit");
        }
        pool.shutdown();

        Balance window = stores.get(1).balance(current);
        assertEquals(10_000 + settled.get(), window.spentMicros(), "every settle counted exactly once");
        assertEquals(0, window.heldMicros(), "no hold leaked");
        assertTrue(window.spentMicros() <= LIMIT, "the limit held: " + window);
        assertTrue(window.spentMicros() + CALL > LIMIT, "refused only when one more call would not fit: " + window);
        assertEquals(new Balance(settled.get(), 0), stores.get(0).balance(total));
        assertTrue(granted.get() > 1_000, "the threads really raced: " + granted.get() + " grants");
        for (RedisStore store : stores) {
            assertEquals(0, store.redis().pool().getNumActive(), "no connection left borrowed");
        }
    }
}
