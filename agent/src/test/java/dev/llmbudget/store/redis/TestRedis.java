package dev.llmbudget.store.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.embedded.RedisServer;

/**
 * The real Redis the tests run against, shared by the agent's tests and the integration tests: the one at
 * 127.0.0.1:6379 when it answers ({@code .ci/run} starts one there), else a redis-server started for this
 * JVM on a free port from the binaries embedded-redis ships, so {@code mvn verify} needs no Redis installed.
 * {@code -Dllmb.redis.port=N} names another port to use as it is.
 */
public final class TestRedis {
    public static final String HOST = "127.0.0.1";
    private static final int DEFAULT_PORT = 6379;

    private static int port;

    private TestRedis() {
    }

    public static synchronized int port() {
        if (port == 0) {
            port = resolve();
        }
        return port;
    }

    public static String url() {
        return "redis://" + HOST + ":" + port();
    }

    /** Deletes every key under {@code prefix}: how each test removes what it wrote. */
    public static void deleteAll(String prefix) {
        try (Jedis jedis = new Jedis(HOST, port())) {
            ScanParams params = new ScanParams().match(prefix + "*").count(1_000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                if (!page.getResult().isEmpty()) {
                    jedis.del(page.getResult().toArray(new String[0]));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
    }

    private static int resolve() {
        Integer configured = Integer.getInteger("llmb.redis.port");
        if (configured != null) {
            return configured;
        }
        if (answers(DEFAULT_PORT)) {
            return DEFAULT_PORT;
        }
        int free = freePort();
        try {
            RedisServer server = RedisServer.newRedisServer().port(free).bind(HOST).setting("save \"\"")
                    .setting("appendonly no").build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop();
                } catch (IOException ignored) {
                    // the JVM is going away; the server process dies with the pipe
                }
            }, "test-redis-stop"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no Redis at " + HOST + ":" + DEFAULT_PORT + " and the embedded one did not start"
                    + " (start one: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\"): " + e, e);
        }
        return free;
    }

    private static boolean answers(int candidate) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, candidate), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the test Redis", e);
        }
    }
}
