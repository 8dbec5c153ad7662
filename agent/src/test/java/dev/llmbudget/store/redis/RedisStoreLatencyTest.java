package dev.llmbudget.store.redis;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.ReserveResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a check: measures what a call pays for the Redis store, reserve plus settle in one thread, as the
 * benchmark table reports it. Run with {@code -Dtest=RedisStoreLatencyTest -Dllmb.redis.latency=true}.
 */
@EnabledIfSystemProperty(named = "llmb.redis.latency", matches = "true")
class RedisStoreLatencyTest {
    private static final int WARMUP = 5_000;
    private static final int ITERATIONS = 10_000;

    @Test
    void reservePlusSettleInOneThread() {
        try (RedisFixture redis = new RedisFixture(); RedisStore store = new RedisStore(redis.options())) {
            long end = System.currentTimeMillis() + 3_600_000;
            List<AccountRef> accounts = List.of(
                    new AccountRef("daily", "daily/global/d", List.of(), Long.MAX_VALUE / 4, end),
                    new AccountRef("rolling", "rolling/global/b2", List.of("rolling/global/b1"), Long.MAX_VALUE / 4, end));
            long[] nanos = new long[ITERATIONS];
            for (int i = 0; i < WARMUP + ITERATIONS; i++) {
                long start = System.nanoTime();
                ReserveResult result = store.reserve("c" + i, accounts, 1_000);
                store.settle(((ReserveResult.Granted) result).reservation(), 700);
                long took = System.nanoTime() - start;
                if (i >= WARMUP) {
                    nanos[i - WARMUP] = took;
                }
            }
            Arrays.sort(nanos);
            System.out.printf("Redis store, reserve+settle, 2 accounts (one rolling), %d iterations: median %d us, "
                            + "p90 %d us, p99 %d us, max %d us%n", ITERATIONS, nanos[ITERATIONS / 2] / 1_000,
                    nanos[ITERATIONS * 9 / 10] / 1_000, nanos[ITERATIONS * 99 / 100] / 1_000,
                    nanos[ITERATIONS - 1] / 1_000);
        }
    }
}
