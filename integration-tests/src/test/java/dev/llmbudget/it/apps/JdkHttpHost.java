package dev.llmbudget.it.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * A host application that calls provider REST APIs by hand with the JDK's {@code java.net.http.HttpClient},
 * pretty-printed JSON as an application might write it. Prints {@code CALL ok|refused|error ...} lines.
 *
 * <p>Arguments: {@code <scenario> <model> <maxTokens> [count]}; {@code it.baseUrl} is the fake's
 * URL ending in {@code /v1}.
 */
public final class JdkHttpHost {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        System.out.println("HOST main started");
        String scenario = args[0];
        String model = args[1];
        long maxTokens = Long.parseLong(args[2]);
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        HttpClient client = HttpClient.newHttpClient();
        String base = System.getProperty("it.baseUrl");
        for (int i = 0; i < count; i++) {
            String chat = chatBody(model, maxTokens, i, false);
            switch (scenario) {
                case "openai-chat" -> run(() -> usage(client.send(post(base + "/chat/completions", chat),
                        HttpResponse.BodyHandlers.ofString()).body()));
                case "openai-chat-bytes" -> run(() -> {
                    // a one-shot publisher: the agent must read it and send the same bytes
                    byte[] bytes = chat.getBytes(StandardCharsets.UTF_8);
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                            .header("Content-Type", "application/json").header("Authorization", "Bearer sk-jdk-test-0001")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
                    return usage(new String(client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body(), StandardCharsets.UTF_8));
                });
                case "openai-chat-async" -> run(() -> {
                    try {
                        return usage(client.sendAsync(post(base + "/chat/completions", chat), HttpResponse.BodyHandlers.ofString())
                                .get().body());
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof Exception cause ? cause : e;
                    }
                });
                case "openai-stream" -> run(() -> {
                    HttpResponse<Stream<String>> response = client.send(post(base + "/chat/completions",
                            chatBody(model, maxTokens, 0, true)), HttpResponse.BodyHandlers.ofLines());
                    try (Stream<String> lines = response.body()) {
                        return "events=" + lines.filter(line -> line.startsWith("data:")).count();
                    }
                });
                case "openai-stream-abandoned" -> run(() -> {
                    HttpResponse<InputStream> response = client.send(post(base + "/chat/completions",
                            chatBody(model, maxTokens, 0, true)), HttpResponse.BodyHandlers.ofInputStream());
                    // reads the first two events (role, "A clearer"), then walks away
                    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        int events = 0;
                        for (String line; events < 2 && (line = reader.readLine()) != null; ) {
                            if (line.startsWith("data:")) {
                                events++;
                            }
                        }
                        return "events=" + events;
                    }
                });
                case "anthropic-messages" -> run(() -> {
                    String body = "{\n  \"model\" : \"" + model + "\",\n  \"max_tokens\" : " + maxTokens + ",\n  \"messages\" : [ {\n"
                            + "    \"role\" : \"user\",\n    \"content\" : \"Review round " + 0 + " of the churn analysis.\"\n  } ]\n}";
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/messages"))
                            .header("Content-Type", "application/json").header("x-api-key", "sk-ant-jdk-test-0001")
                            .header("anthropic-version", "2023-06-01")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    JsonNode usage = JSON.readTree(client.send(request, HttpResponse.BodyHandlers.ofString()).body()).path("usage");
                    return usage.path("input_tokens").asLong() + " " + usage.path("output_tokens").asLong();
                });
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        }
    }

    private static String chatBody(String model, long maxTokens, int round, boolean stream) {
        return "{\n  \"model\" : \"" + model + "\",\n  \"messages\" : [ {\n    \"role\" : \"system\",\n"
                + "    \"content\" : \"You are the Verifier. Ask for a clearer version.\"\n  }, {\n    \"role\" : \"user\",\n"
                + "    \"content\" : \"Analyzer, round " + round + ": the dataset shows a 12% rise in churn.\"\n  } ],\n"
                + "  \"max_completion_tokens\" : " + maxTokens + (stream ? ",\n  \"stream\" : true" : "") + "\n}";
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-jdk-test-0001")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String usage(String responseBody) throws Exception {
        JsonNode usage = JSON.readTree(responseBody).path("usage");
        return usage.isMissingNode() ? "status-body " + responseBody.length()
                : usage.path("prompt_tokens").asLong() + " " + usage.path("completion_tokens").asLong();
    }

    private static void run(CallLines.Call call) {
        CallLines.print(call);
    }
}
