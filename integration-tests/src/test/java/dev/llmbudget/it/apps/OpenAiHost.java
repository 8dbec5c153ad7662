package dev.llmbudget.it.apps;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host application run in a child JVM: it uses the real OpenAI Java SDK as an application would,
 * with no knowledge of the agent, and prints one line per call for the test to read:
 * {@code CALL ok <prompt> <completion>}, {@code CALL refused <class> <message>} or {@code CALL error <class> <message>}.
 *
 * <p>Arguments: {@code <scenario> <model> <maxTokens> [count]}; the fake's URL comes from system
 * property {@code it.baseUrl}.
 */
public final class OpenAiHost {

    public static void main(String[] args) throws Exception {
        System.out.println("HOST main started");
        String scenario = args[0];
        String model = args[1];
        long maxTokens = Long.parseLong(args[2]);
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        switch (scenario) {
            case "chat" -> {
                OpenAIClient client = client();
                for (int i = 0; i < count; i++) {
                    int round = i;
                    run(() -> describe(client.chat().completions().create(chat(model, maxTokens, round))));
                }
            }
            case "chat-async" -> {
                OpenAIClientAsync client = asyncClient();
                for (int i = 0; i < count; i++) {
                    int round = i;
                    run(() -> describe(client.chat().completions().create(chat(model, maxTokens, round)).get()));
                }
            }
            case "chat-raw" -> {
                OpenAIClient client = client();
                for (int i = 0; i < count; i++) {
                    int round = i;
                    run(() -> {
                        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
                                .create(chat(model, maxTokens, round));
                        return "status=" + raw.statusCode() + " " + describe(raw.parse());
                    });
                }
            }
            case "responses" -> {
                OpenAIClient client = client();
                for (int i = 0; i < count; i++) {
                    int round = i;
                    run(() -> {
                        Response response = client.responses().create(ResponseCreateParams.builder().model(model)
                                .input("Summarise round " + round + " of the review in one line.")
                                .maxOutputTokens(maxTokens).build());
                        return response.usage().map(u -> u.inputTokens() + " " + u.outputTokens()).orElse("no-usage");
                    });
                }
            }
            case "chat-stream" -> {
                // reads choices().get(0) of every chunk, as many applications do: a usage-only chunk would break it
                OpenAIClient client = client();
                for (int i = 0; i < count; i++) {
                    int round = i;
                    run(() -> {
                        StringBuilder text = new StringBuilder();
                        long chunks = 0;
                        try (com.openai.core.http.StreamResponse<com.openai.models.chat.completions.ChatCompletionChunk> stream =
                                     client.chat().completions().createStreaming(chat(model, maxTokens, round))) {
                            for (var chunk : (Iterable<com.openai.models.chat.completions.ChatCompletionChunk>) stream.stream()::iterator) {
                                chunks++;
                                chunk.choices().get(0).delta().content().ifPresent(text::append);
                            }
                        }
                        return "stream " + chunks + " chunks '" + text + "'";
                    });
                }
            }
            case "race" -> race(model, maxTokens, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "libraries" -> {
                // the libraries the host brings itself; the agent's own copies must not replace them
                System.out.println("HOST jackson " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
                System.out.println("HOST okhttp " + okhttp3.OkHttp.VERSION);
                System.out.println("HOST kotlin " + kotlin.KotlinVersion.CURRENT);
                System.out.println("HOST slf4j " + org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName());
                org.slf4j.LoggerFactory.getLogger("host").info("HOST logs through its own slf4j binding");
                OpenAIClient client = client();
                run(() -> describe(client.chat().completions().create(chat(model, maxTokens, 0))));
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        System.out.println("HOST main finished");
        System.out.flush();
        // the SDK's OkHttp threads would keep the JVM alive for a minute after main
        System.exit(0);
    }

    /** {@code threads} threads each make {@code calls} calls as fast as they can, all on one budget. */
    private static void race(String model, long maxTokens, int threads, int calls) throws InterruptedException {
        OpenAIClient client = client();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < calls; i++) {
                    try {
                        client.chat().completions().create(chat(model, maxTokens, i));
                        ok.incrementAndGet();
                    } catch (RuntimeException e) {
                        if (isRefusal(e)) {
                            refused.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                            e.printStackTrace();
                        }
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.println("RACE ok=" + ok + " refused=" + refused + " errors=" + errors);
    }

    private static ChatCompletionCreateParams chat(String model, long maxTokens, int round) {
        return ChatCompletionCreateParams.builder().model(model)
                .addSystemMessage("You are the Verifier. Ask for a clearer version.")
                .addUserMessage("Analyzer, round " + round + ": the dataset shows a 12% rise in churn.")
                .maxCompletionTokens(maxTokens)
                .build();
    }

    private static String describe(ChatCompletion completion) {
        return completion.usage().map(u -> u.promptTokens() + " " + u.completionTokens()).orElse("no-usage");
    }

    private static void run(CallLines.Call call) {
        CallLines.print(call);
    }

    /** Whether the exception (or a cause) is the agent's refusal, known only by class name as an app without a compile dependency would. */
    static boolean isRefusal(Throwable e) {
        return CallLines.refusalIn(e) != null;
    }

    /** The SDK's defaults, unless the test sets {@code it.timeoutMs} or {@code it.maxRetries}. */
    private static OpenAIClient client() {
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder().baseUrl(System.getProperty("it.baseUrl"))
                .apiKey("sk-test-host-key-000000000001");
        if (System.getProperty("it.timeoutMs") != null) {
            builder.timeout(java.time.Duration.ofMillis(Long.getLong("it.timeoutMs")));
        }
        if (System.getProperty("it.maxRetries") != null) {
            builder.maxRetries(Integer.getInteger("it.maxRetries"));
        }
        return builder.build();
    }

    private static OpenAIClientAsync asyncClient() {
        return OpenAIOkHttpClientAsync.builder().baseUrl(System.getProperty("it.baseUrl"))
                .apiKey("sk-test-host-key-000000000001").build();
    }
}
