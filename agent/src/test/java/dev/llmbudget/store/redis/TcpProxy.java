package dev.llmbudget.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, for tests that need the server to go out of reach and come
 * back: {@link #cut()} refuses it (connections are closed at once: the client fails fast), {@link #blackhole()}
 * makes it silent (connections stay open, bytes vanish: the client waits for its timeout), {@link #restore()}
 * forwards again. Not a double of the server: every byte that passes goes to the real one.
 */
public final class TcpProxy implements AutoCloseable {
    public enum Mode { FORWARD, CUT, BLACKHOLE }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.FORWARD;
    private volatile boolean closed;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public Mode mode() {
        return mode;
    }

    /** Closes every connection and closes each new one as soon as it is accepted: "connection reset". */
    public void cut() {
        mode = Mode.CUT;
        closeAll();
    }

    /** Keeps connections open but forwards nothing either way, and accepts new ones that never answer. */
    public void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /** Forwards again; closes the connections that lost bytes meanwhile, as a real network would have broken them. */
    public void restore() {
        closeAll();
        mode = Mode.FORWARD;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        closeAll();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Mode now = mode;
            if (now == Mode.CUT) {
                closeQuietly(client);
                continue;
            }
            sockets.add(client);
            if (now == Mode.BLACKHOLE) {
                pump(client, null, null);
                continue;
            }
            try {
                Socket upstream = new Socket(targetHost, targetPort);
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                sockets.add(upstream);
                pump(client, upstream, "up");
                pump(upstream, client, "down");
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** Copies {@code from} to {@code to} while forwarding; drops the bytes otherwise (or always, with no {@code to}). */
    private void pump(Socket from, Socket to, String direction) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (out != null && mode == Mode.FORWARD) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                if (to != null) {
                    closeQuietly(to);
                }
            }
        }, "tcp-proxy-" + (direction == null ? "sink" : direction) + "-" + port());
        pump.setDaemon(true);
        pump.start();
    }

    private void closeAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
