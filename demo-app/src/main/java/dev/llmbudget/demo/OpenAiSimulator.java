package dev.llmbudget.demo;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local, OpenAI-compatible chat completions endpoint, so the demo costs nothing and needs no
 * network, while the SDK (and an attached llm-budget-agent) see the real wire format.
 *
 * <p>Binds to 127.0.0.1 on a free port; serves {@code POST /v1/chat/completions} (non-streaming)
 * and answers instantly. Its threads are daemons, so a forgotten {@link #close()} cannot keep the
 * JVM alive.
 */
final class OpenAiSimulator implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicInteger requests = new AtomicInteger();

    private OpenAiSimulator(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Starts a simulator on a free loopback port. */
    static OpenAiSimulator start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService workers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "openai-simulator");
            thread.setDaemon(true);
            return thread;
        });
        OpenAiSimulator simulator = new OpenAiSimulator(server, workers);
        // One context for every path, so unknown paths get OpenAI's JSON 404 rather than the JDK's HTML one.
        server.createContext("/", new SimulatorRequestHandler(simulator.requests));
        server.setExecutor(workers);
        server.start();
        return simulator;
    }

    /** The base URL to give an OpenAI client, e.g. {@code http://127.0.0.1:41234/v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Chat completion requests that reached the simulator (a call refused inside the JVM never does). */
    int requestCount() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
