package dev.llmbudget.it.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * A local OpenAI-compatible server that speaks the real wire format (chat completions and the
 * Responses API, JSON), reports the usage it is told to, counts and keeps every request it receives,
 * and can fail on demand. Runs in the test JVM; the host applications under test run in child JVMs.
 *
 * <p>Either {@link #start()} it, or give each test its own with
 * {@code @RegisterExtension final FakeOpenAi fake = FakeOpenAi.perTest();}.
 */
public final class FakeOpenAi implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK: about 40 ms per call on loopback. The property is read when the server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** The usage the fake reports for every call. */
    public record ReportedUsage(long promptTokens, long cachedTokens, long completionTokens, long reasoningTokens) {
    }

    private HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-openai");
        thread.setDaemon(true);
        return thread;
    });
    private final List<String> requestBodies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger silencesLeft = new AtomicInteger();
    private volatile int failureStatus = 500;
    private volatile ReportedUsage usage = new ReportedUsage(15, 0, 40, 0);
    private volatile boolean omitUsage;
    private volatile int answerOnly = Integer.MAX_VALUE;
    private final AtomicInteger toolCallsLeft = new AtomicInteger();
    private volatile String toolName;
    private volatile long answerDelayMillis;
    private volatile long retryAfterMillis = -1;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private FakeOpenAi() {
    }

    /** A fake that is listening now; close it when done. */
    public static FakeOpenAi start() throws IOException {
        FakeOpenAi fake = new FakeOpenAi();
        fake.listen();
        return fake;
    }

    /** A JUnit extension: a fresh listening fake before each test, stopped after it. */
    public static FakeOpenAi perTest() {
        return new FakeOpenAi();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        listen();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    private void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL an OpenAI client is pointed at, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public void reportUsage(ReportedUsage reported) {
        this.usage = reported;
    }

    public ReportedUsage reportedUsage() {
        return usage;
    }

    public void omitUsage(boolean omit) {
        this.omitUsage = omit;
    }

    /** The next {@code count} requests get HTTP {@code status} with an OpenAI error body. */
    public void failNext(int count, int status) {
        failureStatus = status;
        failuresLeft.set(count);
    }

    /** The next {@code count} requests are read and counted, then never answered. */
    public void neverAnswerNext(int count) {
        silencesLeft.set(count);
    }

    /** Answers the first {@code count} requests (counted from the start); every later one is read, counted and held unanswered. */
    public void answerOnlyFirst(int count) {
        answerOnly = count;
    }

    /** The next {@code times} chat completions ask the client to call the tool {@code name} (no arguments) instead of answering. */
    public void askForTool(String name, int times) {
        toolName = name;
        toolCallsLeft.set(times);
    }

    /**
     * Holds every answer this long after reading its request, so that calls overlap at the fake and
     * {@link #maxInFlight()} shows how many were there at once.
     */
    public void delayAnswers(Duration delay) {
        answerDelayMillis = delay.toMillis();
    }

    /**
     * Failures ({@link #failNext}) carry {@code retry-after-ms}, which the OpenAI SDK obeys instead of its own
     * back-off (0.5 s, 1 s, ... with jitter): a provider asking for a short wait makes the SDK retry at once.
     */
    public void retryAfterOnFailures(Duration wait) {
        retryAfterMillis = wait.toMillis();
    }

    /** The most requests that were being handled at the same moment: read, and not yet answered. */
    public int maxInFlight() {
        return maxInFlight.get();
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

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int arrived;
            synchronized (requestBodies) {
                requestBodies.add(body);
                arrived = requestBodies.size();
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            pause(answerDelayMillis);
            boolean silent = arrived > answerOnly || silencesLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
            if (silent) {
                holdWithoutAnswer();
            }
            // no longer in flight once the answer is on its way: the client may send its next call as soon as it
            // has read this one, before this thread would get to count it gone
            inFlight.decrementAndGet();
            if (!silent) {
                answer(exchange, body, arrived);
            }
        }
    }

    private void answer(HttpExchange exchange, String body, int arrived) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            if (retryAfterMillis >= 0) {
                exchange.getResponseHeaders().set("retry-after-ms", String.valueOf(retryAfterMillis));
            }
            respond(exchange, failureStatus, "{\"error\":{\"message\":\"fake failure\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        } else if (path.endsWith("/chat/completions") && JSON.readTree(body).path("stream").asBoolean(false)) {
            streamChat(exchange, modelOf(body),
                    JSON.readTree(body).path("stream_options").path("include_usage").asBoolean(false));
        } else if (path.endsWith("/chat/completions") && toolCallsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            respond(exchange, 200, toolCall(modelOf(body), "call_" + arrived));
        } else if (path.endsWith("/chat/completions")) {
            respond(exchange, 200, chatCompletion(modelOf(body)));
        } else if (path.endsWith("/responses")) {
            respond(exchange, 200, response(modelOf(body)));
        } else {
            respond(exchange, 404, "{\"error\":{\"message\":\"no such endpoint in the fake\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
        }
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Like a provider that took the request and then went quiet: the client times out waiting. */
    private static void holdWithoutAnswer() {
        try {
            Thread.sleep(30_000);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /** A chat completion stream as OpenAI sends it; the usage-only chunk only when the request asked for it. */
    private void streamChat(HttpExchange exchange, String model, boolean includeUsage) throws IOException {
        ReportedUsage u = usage;
        String head = "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1763856000,\"model\":\""
                + model + "\",\"system_fingerprint\":\"fp_fake\",";
        String usageNull = includeUsage ? ",\"usage\":null" : "";
        StringBuilder sse = new StringBuilder();
        sse.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]").append(usageNull).append("}\n\n");
        for (String piece : new String[] {"A clearer", " version."}) {
            sse.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(piece)
                    .append("\"},\"logprobs\":null,\"finish_reason\":null}]").append(usageNull).append("}\n\n");
        }
        sse.append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]")
                .append(usageNull).append("}\n\n");
        if (includeUsage) {
            sse.append("data: ").append(head).append("\"choices\":[],\"usage\":{\"prompt_tokens\":").append(u.promptTokens())
                    .append(",\"completion_tokens\":").append(u.completionTokens()).append(",\"total_tokens\":")
                    .append(u.promptTokens() + u.completionTokens()).append(",\"prompt_tokens_details\":{\"cached_tokens\":")
                    .append(u.cachedTokens()).append("},\"completion_tokens_details\":{\"reasoning_tokens\":")
                    .append(u.reasoningTokens()).append("}}}\n\n");
        }
        sse.append("data: [DONE]\n\n");
        byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String chatCompletion(String model) {
        return chatCompletion(model, "{\"role\":\"assistant\",\"content\":\"A clearer version.\",\"refusal\":null}", "stop");
    }

    /** A chat completion that asks the client to call the tool {@link #askForTool} named, without arguments. */
    private String toolCall(String model, String callId) {
        return chatCompletion(model, "{\"role\":\"assistant\",\"content\":null,\"refusal\":null,\"tool_calls\":[{\"id\":\"" + callId
                + "\",\"type\":\"function\",\"function\":{\"name\":\"" + toolName + "\",\"arguments\":\"{}\"}}]}", "tool_calls");
    }

    private String chatCompletion(String model, String message, String finishReason) {
        ReportedUsage u = usage;
        String usageJson = omitUsage ? "" : ",\"usage\":{\"prompt_tokens\":" + u.promptTokens()
                + ",\"completion_tokens\":" + u.completionTokens()
                + ",\"total_tokens\":" + (u.promptTokens() + u.completionTokens())
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + u.cachedTokens() + "}"
                + ",\"completion_tokens_details\":{\"reasoning_tokens\":" + u.reasoningTokens() + "}}";
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1763900000,\"model\":\"" + model + "\","
                + "\"choices\":[{\"index\":0,\"message\":" + message + ","
                + "\"logprobs\":null,\"finish_reason\":\"" + finishReason + "\"}]" + usageJson + "}";
    }

    private String response(String model) {
        ReportedUsage u = usage;
        String usageJson = omitUsage ? "" : ",\"usage\":{\"input_tokens\":" + u.promptTokens()
                + ",\"input_tokens_details\":{\"cached_tokens\":" + u.cachedTokens() + "}"
                + ",\"output_tokens\":" + u.completionTokens()
                + ",\"output_tokens_details\":{\"reasoning_tokens\":" + u.reasoningTokens() + "}"
                + ",\"total_tokens\":" + (u.promptTokens() + u.completionTokens()) + "}";
        return "{\"id\":\"resp_fake\",\"object\":\"response\",\"created_at\":1763900000,\"status\":\"completed\","
                + "\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"metadata\":{},\"model\":\"" + model + "\","
                + "\"output\":[{\"type\":\"message\",\"id\":\"msg_fake\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":\"A clearer version.\",\"annotations\":[]}]}],"
                + "\"parallel_tool_calls\":true,\"temperature\":1.0,\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0"
                + usageJson + "}";
    }

    private static String modelOf(String body) throws IOException {
        return JSON.readTree(body).path("model").asText("unknown");
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-request-id", "req_fake");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
