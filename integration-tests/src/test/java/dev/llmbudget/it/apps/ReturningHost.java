package dev.llmbudget.it.apps;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A host whose {@code main} returns instead of calling {@code System.exit}: its JVM ends only when no non-daemon
 * thread is left. It first waits (up to a minute) until something listens on 127.0.0.1:{@code args[0]} (the agent's
 * metrics endpoint, started in the background), then prints {@code HOST listening maxReqTime=<value>}: the JDK HTTP
 * server setting the host would see.
 */
public final class ReturningHost {
    private ReturningHost() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!listening(port)) {
            if (System.nanoTime() > deadline) {
                System.out.println("HOST nothing listens on " + port);
                return;
            }
            Thread.sleep(20);
        }
        System.out.println("HOST listening maxReqTime=" + System.getProperty("sun.net.httpserver.maxReqTime"));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}
