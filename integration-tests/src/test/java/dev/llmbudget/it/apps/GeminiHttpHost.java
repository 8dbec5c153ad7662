package dev.llmbudget.it.apps;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * A host application that calls the Google Gemini REST API by hand with the JDK's
 * {@code java.net.http.HttpClient}, as an application would: pretty-printed JSON with {@code contents},
 * {@code systemInstruction} and {@code generationConfig}, the API key in header {@code x-goog-api-key}
 * (or, for the {@code -key-in-query} scenarios, as the {@code key} query parameter of Google's curl
 * samples). Prints {@code CALL ok <promptTokens> <candidatesTokens>}, {@code CALL refused <class> <message>}
 * or {@code CALL error <class> <message>} per call, and {@code TEXT <text>} with the text it received.
 *
 * <p>Arguments: {@code <scenario> <model> <maxOutputTokens> [count]}, scenario one of {@code generate},
 * {@code generate-async}, {@code stream-sse}, {@code stream-array}, each optionally suffixed
 * {@code -key-in-query}; a {@code maxOutputTokens} of 0 leaves {@code generationConfig.maxOutputTokens}
 * out. {@code it.baseUrl} is the API's root (the fake's {@code http://127.0.0.1:<port>}).
 */
public final class GeminiHttpHost {
    /** A made-up key in Google's format; the tests check it never reaches the ledger or a log. */
    public static final String API_KEY = "AIza-test-key-0001";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_IN_QUERY = "-key-in-query";

    public static void main(String[] args) throws Exception {
        System.out.println("HOST main started");
        String scenario = args[0];
        String model = args[1];
        long maxTokens = Long.parseLong(args[2]);
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        boolean keyInQuery = scenario.endsWith(KEY_IN_QUERY);
        String kind = keyInQuery ? scenario.substring(0, scenario.length() - KEY_IN_QUERY.length()) : scenario;
        HttpClient client = HttpClient.newHttpClient();
        String models = System.getProperty("it.baseUrl") + "/v1beta/models/" + model;
        for (int i = 0; i < count; i++) {
            String body = requestBody(maxTokens, i);
            switch (kind) {
                case "generate" -> run(() -> {
                    HttpResponse<String> response = client.send(post(models + ":generateContent", keyInQuery, body),
                            HttpResponse.BodyHandlers.ofString());
                    return describe(ok(response.statusCode(), response.body()));
                });
                case "generate-async" -> run(() -> {
                    try {
                        HttpResponse<String> response = client.sendAsync(post(models + ":generateContent", keyInQuery, body),
                                HttpResponse.BodyHandlers.ofString()).get();
                        return describe(ok(response.statusCode(), response.body()));
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof Exception cause ? cause : e;
                    }
                });
                case "stream-sse" -> run(() -> {
                    HttpResponse<Stream<String>> response = client.send(post(models + ":streamGenerateContent?alt=sse",
                            keyInQuery, body), HttpResponse.BodyHandlers.ofLines());
                    List<String> lines;
                    try (Stream<String> stream = response.body()) {
                        lines = stream.toList();
                    }
                    ok(response.statusCode(), String.join("\n", lines));
                    StreamRead read = new StreamRead();
                    for (String line : lines) {
                        if (line.startsWith("data:")) {
                            read.chunk(JSON.readTree(line.substring("data:".length()).trim()));
                        }
                    }
                    return read.describe();
                });
                case "stream-array" -> run(() -> {
                    HttpResponse<InputStream> response = client.send(post(models + ":streamGenerateContent", keyInQuery, body),
                            HttpResponse.BodyHandlers.ofInputStream());
                    byte[] bytes;
                    try (InputStream in = response.body()) {
                        bytes = in.readAllBytes();
                    }
                    ok(response.statusCode(), new String(bytes, StandardCharsets.UTF_8));
                    return readArray(bytes).describe();
                });
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        }
    }

    /** The body as an application might write it, pretty-printed. */
    private static String requestBody(long maxTokens, int round) {
        return "{\n  \"contents\" : [ {\n    \"role\" : \"user\",\n    \"parts\" : [ {\n"
                + "      \"text\" : \"Analyzer, round " + round + ": the dataset shows a 12% rise in churn.\"\n    } ]\n  } ],\n"
                + "  \"systemInstruction\" : {\n    \"parts\" : [ {\n"
                + "      \"text\" : \"You are the Verifier. Ask for a clearer version.\"\n    } ]\n  },\n"
                + "  \"generationConfig\" : {\n    \"temperature\" : 0.2"
                + (maxTokens > 0 ? ",\n    \"maxOutputTokens\" : " + maxTokens : "") + "\n  }\n}";
    }

    private static HttpRequest post(String url, boolean keyInQuery, String body) {
        String target = keyInQuery ? url + (url.contains("?") ? "&" : "?") + "key=" + API_KEY : url;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target)).header("Content-Type", "application/json");
        if (!keyInQuery) {
            builder.header("x-goog-api-key", API_KEY);
        }
        return builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String ok(int status, String body) throws IOException {
        if (status >= 400) {
            throw new IOException("HTTP " + status + ": " + JSON.readTree(body).path("error").path("status").asText());
        }
        return body;
    }

    private static String describe(String responseBody) throws IOException {
        StreamRead read = new StreamRead();
        read.chunk(JSON.readTree(responseBody));
        return read.describe();
    }

    /**
     * The elements of a streamed JSON array, read as far as they are complete: a stream cut short
     * (no closing bracket, an element cut in half) still gives the chunks that arrived whole.
     */
    private static StreamRead readArray(byte[] bytes) throws IOException {
        StreamRead read = new StreamRead();
        try (JsonParser parser = JSON.getFactory().createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("not a JSON array: " + new String(bytes, StandardCharsets.UTF_8));
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
                read.chunk(parser.readValueAsTree());
            }
            read.cut = token != JsonToken.END_ARRAY;
        } catch (com.fasterxml.jackson.core.JsonProcessingException cutShort) {
            read.cut = true;
        }
        return read;
    }

    /** The text and the last usage report of a response's chunks (one for generateContent). */
    private static final class StreamRead {
        final StringBuilder text = new StringBuilder();
        JsonNode usage;
        int chunks;
        boolean cut;

        void chunk(JsonNode chunk) {
            chunks++;
            for (JsonNode part : chunk.path("candidates").path(0).path("content").path("parts")) {
                text.append(part.path("text").asText(""));
            }
            if (chunk.has("usageMetadata")) {
                usage = chunk.get("usageMetadata");
            }
        }

        String describe() {
            System.out.println("TEXT " + text + " chunks=" + chunks + (cut ? " cut" : ""));
            JsonNode u = usage == null ? JSON.createObjectNode() : usage;
            return u.path("promptTokenCount").asLong() + " " + u.path("candidatesTokenCount").asLong();
        }
    }

    private static void run(CallLines.Call call) {
        CallLines.print(call);
    }
}
