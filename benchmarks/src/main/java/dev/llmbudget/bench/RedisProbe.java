package dev.llmbudget.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether a Redis answers where the Redis benchmark expects it, so a machine without one gets a "pending" row, not a failure. */
final class RedisProbe {
    private RedisProbe() {
    }

    static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
