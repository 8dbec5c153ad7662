package dev.llmbudget.it.support;

import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The test Redis at 127.0.0.1:6379 (started by {@code .ci/run}); each test writes under its own key prefix and removes it. */
public final class RedisKeys {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 6379;

    private RedisKeys() {
    }

    public static String uniquePrefix(String test) {
        return "llmb-it-" + test + "-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    public static Jedis connect() {
        return new Jedis(HOST, PORT);
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
