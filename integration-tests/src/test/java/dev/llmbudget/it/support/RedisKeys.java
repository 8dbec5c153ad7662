package dev.llmbudget.it.support;

import dev.llmbudget.store.redis.TestRedis;
import java.util.UUID;
import redis.clients.jedis.Jedis;

/** The test Redis ({@link TestRedis}: the one at 127.0.0.1:6379, else one started for these tests); each test writes under its own key prefix and removes it with {@link TestRedis#deleteAll}. */
public final class RedisKeys {
    public static final String HOST = TestRedis.HOST;

    private RedisKeys() {
    }

    public static String uniquePrefix(String test) {
        return "llmb-it-" + test + "-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    public static int port() {
        return TestRedis.port();
    }

    /** {@code store.redis.url=...} for an agent configuration. */
    public static String urlSetting() {
        return "store.redis.url=" + TestRedis.url();
    }

    public static Jedis connect() {
        return new Jedis(HOST, port());
    }
}
