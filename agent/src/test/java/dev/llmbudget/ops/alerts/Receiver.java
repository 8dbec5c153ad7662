package dev.llmbudget.ops.alerts;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.llmbudget.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A real webhook receiver on 127.0.0.1: answers from a script (then 200), records every request, can hang. */
final class Receiver implements AutoCloseable {
    /** What one request carried. */
    record Request(String contentType, byte[] body, long atNanos) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }

    /** One scripted answer. */
    record Answer(int status, String retryAfter) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CountDownLatch hang;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "test-webhook-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                requests.add(new Request(exchange.getRequestHeaders().getFirst("Content-Type"), in.readAllBytes(),
                        System.nanoTime()));
            }
            CountDownLatch latch = hang;
            if (latch != null) {
                try {
                    latch.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Answer answer = script.poll();
            if (answer != null && answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            exchange.sendResponseHeaders(answer == null ? 200 : answer.status(), -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL of this receiver, with a path and query standing for a webhook's secret. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0/SECRET-PATH?token=SECRET-QUERY");
    }

    Receiver answer(int status) {
        script.add(new Answer(status, null));
        return this;
    }

    Receiver answer(int status, String retryAfter) {
        script.add(new Answer(status, retryAfter));
        return this;
    }

    /** Makes every request wait until {@link #release}. */
    CountDownLatch hang() {
        CountDownLatch latch = new CountDownLatch(1);
        hang = latch;
        return latch;
    }

    void release() {
        CountDownLatch latch = hang;
        hang = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    List<JsonNode> bodies() throws IOException {
        List<JsonNode> bodies = new ArrayList<>();
        for (Request request : requests) {
            bodies.add(request.json());
        }
        return bodies;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }

    /** Polls until the condition holds, at most {@code seconds}: waiting on another thread without a fixed sleep. */
    static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(5);
        }
    }
}
