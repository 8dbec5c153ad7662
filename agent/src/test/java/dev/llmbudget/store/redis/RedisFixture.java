package dev.llmbudget.store.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.RedisClient;

/**
 * The real Redis the tests run against ({@link TestRedis}), a key
 * prefix of the test's own, and a client to look at what the store wrote. Deletes every key under the prefix on close.
 */
final class RedisFixture implements AutoCloseable {
    static final String HOST = TestRedis.HOST;
    static final int PORT = TestRedis.port();

    final String prefix = "llmb-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    final RedisClient admin = RedisClient.create(HOST, PORT);

    RedisFixture() {
        try {
            admin.ping();
        } catch (RuntimeException e) {
            admin.close();
            fail("these tests need a Redis at " + HOST + ":" + PORT + " (redis-server --port " + PORT + "): " + e);
        }
    }

    String url() {
        return "redis://" + HOST + ":" + PORT;
    }

    RedisOptions options() {
        return RedisOptions.of(url()).withKeyPrefix(prefix).withTimeout(Duration.ofMillis(500));
    }

    long spent(String accountKey) {
        return field(accountKey, "spent");
    }

    long held(String accountKey) {
        return field(accountKey, "held");
    }

    long pttl(String accountKey) {
        return admin.pttl(prefix + "a:" + accountKey);
    }

    boolean exists(String accountKey) {
        return admin.exists(prefix + "a:" + accountKey);
    }

    String reservationState(String id) {
        return admin.hget(prefix + "r:" + id, "state");
    }

    private long field(String accountKey, String field) {
        String value = admin.hget(prefix + "a:" + accountKey, field);
        return value == null ? 0 : Long.parseLong(value);
    }

    static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + within + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        try {
            TestRedis.deleteAll(prefix);
        } finally {
            admin.close();
        }
    }
}
