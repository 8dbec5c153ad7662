package dev.llmbudget.it.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local Anthropic Messages API that speaks the real wire format (a JSON {@code message}, or its SSE
 * event stream when the request says {@code "stream":true}), reports the usage it is told to and counts
 * the requests it receives. A per-test JUnit extension:
 * {@code @RegisterExtension final FakeAnthropic anthropic = new FakeAnthropic();}.
 */
public final class FakeAnthropic implements BeforeEachCallback, AfterEachCallback {
    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Usage as Anthropic reports it: input excludes the cache reads and writes. */
    public record ReportedUsage(long inputTokens, long cacheWriteTokens, long cacheReadTokens, long outputTokens) {
    }

    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> requestBodies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile ReportedUsage usage = new ReportedUsage(20, 0, 0, 30);
    private volatile boolean cutStreams;
    private HttpServer server;
    private ExecutorService executor;

    public void reportUsage(ReportedUsage reported) {
        this.usage = reported;
    }

    /** The next {@code count} requests get HTTP 500 with Anthropic's error body. */
    public void failNext(int count) {
        failuresLeft.set(count);
    }

    /** Streams end after their text deltas, before {@code message_delta} brings the output count (a dropped connection). */
    public void cutStreams(boolean cut) {
        this.cutStreams = cut;
    }

    public int requestCount() {
        return requests.get();
    }

    /** Every request body received, in order. */
    public List<String> requestBodies() {
        synchronized (requestBodies) {
            return List.copyOf(requestBodies);
        }
    }

    /** The SDK's base URL: it appends {@code /v1/messages}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        executor = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            requestBodies.add(body);
            requests.incrementAndGet();
            if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                send(exchange, 500, "application/json",
                        "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"fake failure\"}}");
            } else if (!exchange.getRequestURI().getPath().equals("/v1/messages")) {
                send(exchange, 404, "application/json",
                        "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"not in the fake\"}}");
            } else if (body.replaceAll("\\s", "").contains("\"stream\":true")) {
                send(exchange, 200, "text/event-stream", stream(modelOf(body)));
            } else {
                send(exchange, 200, "application/json", message(modelOf(body)));
            }
        }
    }

    private String message(String model) {
        ReportedUsage u = usage;
        return "{\"id\":\"msg_01Fake\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"A clearer version.\"}],\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + u.inputTokens()
                + ",\"cache_creation_input_tokens\":" + u.cacheWriteTokens() + ",\"cache_read_input_tokens\":"
                + u.cacheReadTokens() + ",\"output_tokens\":" + u.outputTokens() + "}}";
    }

    private String stream(String model) {
        ReportedUsage u = usage;
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01Fake\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":" + u.inputTokens() + ",\"cache_creation_input_tokens\":" + u.cacheWriteTokens()
                + ",\"cache_read_input_tokens\":" + u.cacheReadTokens() + ",\"output_tokens\":1}}}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("ping", "{\"type\":\"ping\"}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"A clearer\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" version.\"}}")
                + (cutStreams ? "" : event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":" + u.outputTokens() + "}}")
                + event("message_stop", "{\"type\":\"message_stop\"}"));
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    /** The request's model, whether the client writes compact JSON or, like LangChain4j, pretty-printed. */
    private static String modelOf(String body) {
        java.util.regex.Matcher model = java.util.regex.Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        return model.find() ? model.group(1) : "unknown";
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
