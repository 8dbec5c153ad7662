package dev.llmbudget.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis the Redis rows use (127.0.0.1:6379): whether it answers, so a machine without one gets a
 * "pending" row rather than a failure, and removing what a run wrote under its own key prefix.
 */
final class RedisProbe {
    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;

    private RedisProbe() {
    }

    static boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes every key under {@code prefix}. */
    static void deleteAll(String prefix) {
        try (Jedis jedis = new Jedis(HOST, PORT)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(1_000));
                if (!page.getResult().isEmpty()) {
                    jedis.del(page.getResult().toArray(new String[0]));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }
}
