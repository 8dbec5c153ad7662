package dev.llmbudget.it.support;

import dev.llmbudget.store.redis.TestRedis;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The test Redis ({@link TestRedis}: the one at 127.0.0.1:6379, else one started for these tests); each test writes under its own key prefix and removes it. */
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

    /** Deletes every key under {@code prefix}. */
    public static void deleteAll(String prefix) {
        try (Jedis jedis = connect()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(500));
                if (!page.getResult().isEmpty()) {
                    jedis.del(page.getResult().toArray(new String[0]));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }
}
