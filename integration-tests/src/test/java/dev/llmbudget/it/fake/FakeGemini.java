package dev.llmbudget.it.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local Gemini API ({@code generativelanguage.googleapis.com}) that speaks the real wire format:
 *
 * <ul>
 *   <li>{@code POST /v1beta/models/{model}:generateContent}: one GenerateContentResponse, pretty-printed
 *       as the API sends it, {@code candidates[0].content.parts[0].text} = "A clearer version.";</li>
 *   <li>{@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse}: server-sent events, one
 *       compact GenerateContentResponse per {@code data:} line ("A clearer", " version", "."), usage
 *       running totals on every chunk, the last one with {@code finishReason: STOP} and the full counts;</li>
 *   <li>the same without {@code alt=sse}: a JSON array of the same chunks, pretty-printed and sent element
 *       by element, separated as the API separates them ({@code "\n,\r\n"}).</li>
 * </ul>
 *
 * It reports the usage it is told to, counts and keeps every request it receives (body, URI and the
 * {@code x-goog-api-key} it carried), can fail on demand with Google's error body, and can cut its
 * streams before their final chunk. A per-test JUnit extension:
 * {@code @RegisterExtension final FakeGemini gemini = new FakeGemini();}.
 */
public final class FakeGemini implements BeforeEachCallback, AfterEachCallback {
    static {
        // see FakeOpenAi: without TCP_NODELAY each response waits for the client's delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** What the generated text is, streamed in these pieces; the last one comes with the finish reason. */
    public static final String TEXT = "A clearer version.";
    public static final List<String> STREAM_PIECES = List.of("A clearer", " version", ".");

    private static final Pattern MODEL_METHOD = Pattern.compile("^/v1beta/models/([^/:]+):([A-Za-z]+)$");

    /**
     * Usage as Gemini reports it: {@code promptTokenCount} includes the cached tokens; thoughts are
     * counted apart from {@code candidatesTokenCount} (and billed as output).
     */
    public record ReportedUsage(long promptTokenCount, long cachedContentTokenCount, long candidatesTokenCount,
                                long thoughtsTokenCount) {
    }

    /** What the {@code usageMetadata} of a stream's chunks before the last one holds. */
    public enum InterimUsage {
        /** Running totals: the prompt, the thoughts, and the candidates tokens generated so far (as the 2.5 models send them). */
        CUMULATIVE,
        /** The prompt (and the thoughts, when there are any) but no {@code candidatesTokenCount} yet, as some models send it. */
        PROMPT_ONLY,
        /** No {@code usageMetadata} at all before the last chunk. */
        NONE
    }

    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<String> requestBodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requestUris = Collections.synchronizedList(new ArrayList<>());
    private final List<String> apiKeyHeaders = Collections.synchronizedList(new ArrayList<>());
    private volatile int failureStatus = 500;
    private volatile ReportedUsage usage = new ReportedUsage(20, 0, 30, 0);
    private volatile InterimUsage interimUsage = InterimUsage.CUMULATIVE;
    private volatile boolean cutStreams;
    private volatile boolean dropStreams;
    private HttpServer server;
    private ExecutorService executor;

    public void reportUsage(ReportedUsage reported) {
        this.usage = reported;
    }

    public ReportedUsage reportedUsage() {
        return usage;
    }

    public void interimUsage(InterimUsage interim) {
        this.interimUsage = interim;
    }

    /** The next {@code count} requests get HTTP {@code status} with Google's error body. */
    public void failNext(int count, int status) {
        failureStatus = status;
        failuresLeft.set(count);
    }

    /** Streams end cleanly after their text chunks, before the final chunk brings the finish reason and the full counts. */
    public void cutStreams(boolean cut) {
        this.cutStreams = cut;
    }

    /**
     * Streams stop before their final chunk as a dropped connection stops them: the connection closes in
     * the middle of the chunked body, and the client sees the body fail.
     */
    public void dropStreams(boolean drop) {
        this.dropStreams = drop;
    }

    /** How many requests arrived, failed ones included. */
    public int requestCount() {
        return requestBodies.size();
    }

    public List<String> requestBodies() {
        synchronized (requestBodies) {
            return List.copyOf(requestBodies);
        }
    }

    /** The request URIs, path and query, as received. */
    public List<String> requestUris() {
        synchronized (requestUris) {
            return List.copyOf(requestUris);
        }
    }

    /** The {@code x-goog-api-key} header of each request, "" when it had none. */
    public List<String> apiKeyHeaders() {
        synchronized (apiKeyHeaders) {
            return List.copyOf(apiKeyHeaders);
        }
    }

    /** The API's root: the application appends {@code /v1beta/models/...}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-gemini");
            thread.setDaemon(true);
            return thread;
        });
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

    /** Thrown out of the handler, the exchange left open, to make the server drop the connection mid-response. */
    private static final class DroppedConnection extends IOException {
        DroppedConnection() {
            super("the fake drops the connection mid-stream");
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            serve(exchange);
        } catch (DroppedConnection dropped) {
            // not closed: an exception out of the handler makes the server close the connection as it is, so the
            // client sees the body end short instead of the chunked body's clean last chunk
            throw dropped;
        } catch (IOException | RuntimeException e) {
            exchange.close();
            throw e;
        }
        exchange.close();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String rawQuery = exchange.getRequestURI().getRawQuery();
        requestUris.add(exchange.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery));
        String headerKey = exchange.getRequestHeaders().getFirst("x-goog-api-key");
        apiKeyHeaders.add(headerKey == null ? "" : headerKey);
        requestBodies.add(body);

        Matcher call = MODEL_METHOD.matcher(exchange.getRequestURI().getPath());
        if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            send(exchange, failureStatus, "application/json; charset=UTF-8", error(failureStatus));
        } else if (!"POST".equals(exchange.getRequestMethod()) || !call.matches()) {
            send(exchange, 404, "application/json; charset=UTF-8", error(404));
        } else if (headerKey == null && queryParameter(rawQuery, "key") == null) {
            send(exchange, 403, "application/json; charset=UTF-8", "{\n  \"error\": {\n    \"code\": 403,\n"
                    + "    \"message\": \"Method doesn't allow unregistered callers (callers without established identity)."
                    + " Please use API Key or other form of API consumer identity to call this API.\",\n"
                    + "    \"status\": \"PERMISSION_DENIED\"\n  }\n}\n");
        } else if (call.group(2).equals("generateContent")) {
            send(exchange, 200, "application/json; charset=UTF-8", response(call.group(1)));
        } else if (call.group(2).equals("streamGenerateContent")) {
            stream(exchange, call.group(1), "sse".equals(queryParameter(rawQuery, "alt")));
        } else {
            send(exchange, 404, "application/json; charset=UTF-8", error(404));
        }
    }

    /** A generateContent answer, pretty-printed as the API sends it. */
    private String response(String model) {
        ReportedUsage u = usage;
        return "{\n  \"candidates\": [\n    {\n      \"content\": {\n        \"parts\": [\n          {\n            \"text\": \""
                + TEXT + "\"\n          }\n        ],\n        \"role\": \"model\"\n      },\n      \"finishReason\": \"STOP\",\n"
                + "      \"index\": 0\n    }\n  ],\n  \"usageMetadata\": " + usageMetadata(u.promptTokenCount(),
                u.cachedContentTokenCount(), u.candidatesTokenCount(), true, u.thoughtsTokenCount())
                + ",\n  \"modelVersion\": \"" + model + "\",\n  \"responseId\": \"fakeGeminiResponse01\"\n}\n";
    }

    /**
     * A stream, sent chunk by chunk (chunked transfer, flushed after each): SSE events of compact JSON,
     * or the elements of a JSON array, pretty-printed. A cut stream stops after the text chunks: no final
     * chunk, and no closing bracket for an array; a dropped one stops there too, but mid-response.
     */
    private void stream(HttpExchange exchange, String model, boolean sse) throws IOException {
        ReportedUsage u = usage;
        InterimUsage interim = interimUsage;
        List<String> pieces = new ArrayList<>();
        if (!sse) {
            pieces.add("[");
        }
        int count = STREAM_PIECES.size();
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            String metadata;
            if (last) {
                metadata = usageMetadata(u.promptTokenCount(), u.cachedContentTokenCount(), u.candidatesTokenCount(), true,
                        u.thoughtsTokenCount());
            } else {
                metadata = switch (interim) {
                    case CUMULATIVE -> usageMetadata(u.promptTokenCount(), u.cachedContentTokenCount(),
                            candidatesAfter(u, i), true, u.thoughtsTokenCount());
                    case PROMPT_ONLY -> usageMetadata(u.promptTokenCount(), u.cachedContentTokenCount(), 0, false,
                            u.thoughtsTokenCount());
                    case NONE -> null;
                };
            }
            String chunk = chunk(model, STREAM_PIECES.get(i), last, metadata);
            pieces.add(sse ? "data: " + compact(chunk) + "\r\n\r\n" : (i == 0 ? "" : "\n,\r\n") + chunk + (last ? "\n]" : ""));
        }
        // the pieces before the final chunk (and the array's closing bracket)
        int beforeFinal = pieces.size() - 1;
        exchange.getResponseHeaders().set("Content-Type", sse ? "text/event-stream" : "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(200, 0);
        if (dropStreams) {
            OutputStream out = exchange.getResponseBody();
            for (String piece : pieces.subList(0, beforeFinal)) {
                write(out, piece);
            }
            throw new DroppedConnection();
        }
        try (OutputStream out = exchange.getResponseBody()) {
            for (String piece : cutStreams ? pieces.subList(0, beforeFinal) : pieces) {
                write(out, piece);
            }
        }
    }

    /** The running total of candidates tokens after chunk {@code index} of a stream: a share of the whole, in proportion. */
    public static long candidatesAfter(ReportedUsage u, int index) {
        return u.candidatesTokenCount() * (index + 1) / STREAM_PIECES.size();
    }

    private static String chunk(String model, String text, boolean last, String metadata) {
        return "{\n  \"candidates\": [\n    {\n      \"content\": {\n        \"parts\": [\n          {\n            \"text\": \"" + text
                + "\"\n          }\n        ],\n        \"role\": \"model\"\n      },\n"
                + (last ? "      \"finishReason\": \"STOP\",\n" : "") + "      \"index\": 0\n    }\n  ],\n"
                + (metadata == null ? "" : "  \"usageMetadata\": " + metadata + ",\n")
                + "  \"modelVersion\": \"" + model + "\",\n  \"responseId\": \"fakeGeminiStream01\"\n}";
    }

    /** Google's usageMetadata, with the fields the API leaves out when they are zero left out. */
    private static String usageMetadata(long prompt, long cached, long candidates, boolean withCandidates, long thoughts) {
        long total = prompt + (withCandidates ? candidates : 0) + thoughts;
        StringBuilder json = new StringBuilder("{\n    \"promptTokenCount\": ").append(prompt);
        if (withCandidates) {
            json.append(",\n    \"candidatesTokenCount\": ").append(candidates);
        }
        json.append(",\n    \"totalTokenCount\": ").append(total);
        if (cached > 0) {
            json.append(",\n    \"cachedContentTokenCount\": ").append(cached);
        }
        json.append(",\n    \"promptTokensDetails\": [\n      {\n        \"modality\": \"TEXT\",\n        \"tokenCount\": ")
                .append(prompt).append("\n      }\n    ]");
        if (cached > 0) {
            json.append(",\n    \"cacheTokensDetails\": [\n      {\n        \"modality\": \"TEXT\",\n        \"tokenCount\": ")
                    .append(cached).append("\n      }\n    ]");
        }
        if (thoughts > 0) {
            json.append(",\n    \"thoughtsTokenCount\": ").append(thoughts);
        }
        return json.append("\n  }").toString();
    }

    private static String error(int status) {
        String state = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
        return "{\n  \"error\": {\n    \"code\": " + status + ",\n    \"message\": \"fake failure\",\n    \"status\": \""
                + state + "\"\n  }\n}\n";
    }

    /** One line of JSON, as the API writes each SSE event: the pretty-printing whitespace removed (no string holds a newline). */
    private static String compact(String json) {
        return json.replaceAll("\\n\\s*", "");
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
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
