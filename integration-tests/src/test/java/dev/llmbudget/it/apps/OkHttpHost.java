package dev.llmbudget.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A host application run in a child JVM that calls the providers' REST APIs by hand with OkHttp, as
 * applications without an SDK do: JSON bodies written as text, {@code execute()} or {@code enqueue()}.
 * Compiled against OkHttp 4.12, run on 4.12 or 5.x (only API both have). Prints one line per call:
 * {@code CALL ok <input> <output>}, {@code CALL ok stream <chunks> '<text>'}, {@code CALL http <status>},
 * {@code CALL refused <thrown class> <refusal class> <message>} or {@code CALL error <class> <message>}.
 *
 * <p>Arguments: {@code <scenario> <model> <maxTokens>}; the fakes' URLs come from system properties
 * {@code it.baseUrl} (OpenAI, ending in {@code /v1}) and {@code it.anthropicUrl}.
 */
public final class OkHttpHost {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        String model = args[1];
        long maxTokens = Long.parseLong(args[2]);
        // OkHttp.VERSION is a compile-time constant: read it reflectively to see the OkHttp actually running
        System.out.println("HOST okhttp " + okhttp3.OkHttp.class.getField("VERSION").get(null));
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS).build();
        switch (scenario) {
            case "chat" -> run(() -> openAiUsage(execute(client, openAiChat(model, maxTokens, ""))));
            case "chat-async" -> run(() -> openAiUsage(enqueue(client, openAiChat(model, maxTokens, ""))));
            case "chat-stream" -> run(() -> stream(client, openAiChat(model, maxTokens, ",\"stream\":true")));
            case "chat-stream-usage" -> run(() -> stream(client,
                    openAiChat(model, maxTokens, ",\"stream\":true,\"stream_options\":{\"include_usage\":true}")));
            case "messages" -> run(() -> anthropicUsage(execute(client, anthropicMessages(model, maxTokens))));
            case "messages-async" -> run(() -> anthropicUsage(enqueue(client, anthropicMessages(model, maxTokens))));
            case "chat-copied-client" -> {
                // a per-call variant of a shared client, as applications make them: newBuilder() copies the interceptors
                OkHttpClient copy = client.newBuilder().callTimeout(20, TimeUnit.SECONDS).build();
                System.out.println("HOST interceptors " + copy.interceptors().size());
                run(() -> openAiUsage(execute(copy, openAiChat(model, maxTokens, ""))));
            }
            case "chat-app-retry" -> {
                OkHttpClient retrying = client.newBuilder().addInterceptor(OkHttpHost::retryOnceOnServerError).build();
                run(() -> openAiUsage(execute(retrying, openAiChat(model, maxTokens, ""))));
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        System.out.flush();
        // OkHttp's dispatcher and pool threads would keep the JVM alive after main
        System.exit(0);
    }

    /** An application interceptor that retries a 5xx once, as some applications write. */
    private static Response retryOnceOnServerError(Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (response.code() < 500) {
            return response;
        }
        response.close();
        return chain.proceed(chain.request());
    }

    private static Request openAiChat(String model, long maxTokens, String extra) {
        String json = "{\"model\":\"" + model + "\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are the Verifier. Ask for a clearer version.\"},"
                + "{\"role\":\"user\",\"content\":\"Analyzer: the dataset shows a 12% rise in churn.\"}],"
                + "\"max_completion_tokens\":" + maxTokens + extra + "}";
        return new Request.Builder().url(System.getProperty("it.baseUrl") + "/chat/completions")
                .header("Authorization", "Bearer sk-test-host-key-000000000001")
                .post(RequestBody.create(json, JSON)).build();
    }

    private static Request anthropicMessages(String model, long maxTokens) {
        String json = "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Analyzer: the dataset shows a 12% rise in churn.\"}]}";
        return new Request.Builder().url(System.getProperty("it.anthropicUrl") + "/v1/messages")
                .header("x-api-key", "sk-ant-test-key-000000000001").header("anthropic-version", "2023-06-01")
                .post(RequestBody.create(json, JSON)).build();
    }

    /** The response text of a blocking call, or {@code http <status>} for an error status. */
    private static String execute(OkHttpClient client, Request request) throws IOException {
        try (Response response = client.newCall(request).execute()) {
            return text(response);
        }
    }

    /** The same, enqueued: waits for the callback, and rethrows what {@code onFailure} got. */
    private static String enqueue(OkHttpClient client, Request request) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        client.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                outcome.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    outcome.complete(text(response));
                } catch (IOException e) {
                    outcome.completeExceptionally(e);
                }
            }
        });
        try {
            return outcome.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static String text(Response response) throws IOException {
        String body = response.body().string();
        return response.isSuccessful() ? body : "http " + response.code();
    }

    /** Reads a chat stream line by line as it arrives, as a chat UI does. */
    private static String stream(OkHttpClient client, Request request) throws IOException {
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        try (Response response = client.newCall(request).execute();
             BufferedReader lines = new BufferedReader(new InputStreamReader(response.body().byteStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data: {")) {
                    chunks++;
                    Matcher content = Pattern.compile("\"content\":\"([^\"]*)\"").matcher(line);
                    if (content.find()) {
                        text.append(content.group(1));
                    }
                }
            }
        }
        return "stream " + chunks + " '" + text + "'";
    }

    private static String openAiUsage(String body) {
        return body.startsWith("http ") ? body : number(body, "prompt_tokens") + " " + number(body, "completion_tokens");
    }

    private static String anthropicUsage(String body) {
        return body.startsWith("http ") ? body : number(body, "input_tokens") + " " + number(body, "output_tokens");
    }

    private static String number(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        return matcher.find() ? matcher.group(1) : "no-" + field;
    }

    private interface Call0 {
        String run() throws Exception;
    }

    private static void run(Call0 call) {
        try {
            String outcome = call.run();
            System.out.println(outcome.startsWith("http ") ? "CALL " + outcome : "CALL ok " + outcome);
        } catch (Exception e) {
            Throwable refusal = CallLines.refusalIn(e);
            if (refusal != null) {
                System.out.println("CALL refused " + e.getClass().getName() + " " + refusal.getClass().getName() + " "
                        + String.valueOf(refusal.getMessage()).replace('\n', ' '));
            } else {
                System.out.println("CALL error " + e.getClass().getName() + " " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
    }

}
