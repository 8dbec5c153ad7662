package dev.llmbudget.it.apps;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host application for the spend-store tests: the same chat call (same prompt, same model, same
 * maximum) made over and over through the real OpenAI SDK, so every call reserves and settles the
 * same amounts. Phases run in the order given:
 * <ul>
 *   <li>{@code sequential N}: N calls one after the other;</li>
 *   <li>{@code parallel T}: T threads, one call each, not waited for (they may hang on the fake);</li>
 *   <li>{@code loop T N}: T threads, N calls each, waited for;</li>
 *   <li>{@code until-refused T}: T threads call until refused while nothing else is held in flight,
 *       i.e. until the budget itself is spent (a refusal only because of other calls' holds is retried);</li>
 *   <li>{@code paced N MILLIS}: N calls with a pause between them;</li>
 *   <li>{@code for-seconds S}: one thread calls as fast as it can until a call is refused or S seconds have passed
 *       since the first call (a runaway loop on a large budget);</li>
 *   <li>{@code idle}: stay alive until killed.</li>
 * </ul>
 * Prints {@code CALL ok <millis>}, {@code CALL refused <millis> <class> rule=<rule> <message>} or
 * {@code CALL error <millis> <class> <message>} per call and {@code DONE ok=<n> refused=<n> errors=<n>}.
 */
public final class SpendHost {
    private static final AtomicInteger OK = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final AtomicInteger ERRORS = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(System.getProperty("it.baseUrl"))
                .apiKey("sk-test-spend-key-000000000001").maxRetries(0).build();
        System.out.println("HOST main started");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "sequential" -> {
                    int n = Integer.parseInt(args[++i]);
                    for (int c = 0; c < n; c++) {
                        call(client);
                    }
                }
                case "parallel" -> {
                    int threads = Integer.parseInt(args[++i]);
                    for (int t = 0; t < threads; t++) {
                        Thread thread = new Thread(() -> call(client), "parallel-" + t);
                        thread.setDaemon(true);
                        thread.start();
                    }
                }
                case "loop" -> {
                    int threads = Integer.parseInt(args[++i]);
                    int n = Integer.parseInt(args[++i]);
                    runThreads(threads, () -> {
                        for (int c = 0; c < n; c++) {
                            call(client);
                        }
                    });
                }
                case "until-refused" -> runThreads(Integer.parseInt(args[++i]), () -> {
                    while (true) {
                        Throwable refusal = call(client);
                        if (refusal != null) {
                            if (heldByOthers(refusal) == 0) {
                                return;
                            }
                            pause(5);
                        }
                    }
                });
                case "paced" -> {
                    int n = Integer.parseInt(args[++i]);
                    long millis = Long.parseLong(args[++i]);
                    for (int c = 0; c < n; c++) {
                        call(client);
                        pause(millis);
                    }
                }
                case "for-seconds" -> {
                    // the box starts after the first call, which also loads the SDK: seconds on a busy machine
                    long box = Long.parseLong(args[++i]) * 1000;
                    if (call(client) == null) {
                        long end = System.currentTimeMillis() + box;
                        while (System.currentTimeMillis() < end && call(client) == null) {
                            // the loop's only brakes: its time box and the agent
                        }
                    }
                }
                case "idle" -> {
                    System.out.println("IDLE");
                    Thread.sleep(Long.MAX_VALUE);
                }
                default -> throw new IllegalArgumentException("unknown phase " + args[i]);
            }
        }
        System.out.println("DONE ok=" + OK + " refused=" + REFUSED + " errors=" + ERRORS);
        System.exit(0);
    }

    /** Makes the call, prints its line; returns the agent's refusal, or null. */
    private static Throwable call(OpenAIClient client) {
        try {
            client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                    .addSystemMessage("You are the Verifier. Ask for a clearer version.")
                    .addUserMessage("Analyzer: the dataset shows a 12% rise in churn.")
                    .maxCompletionTokens(200).build());
            OK.incrementAndGet();
            System.out.println("CALL ok " + System.currentTimeMillis());
            return null;
        } catch (RuntimeException e) {
            Throwable refusal = CallLines.refusalIn(e);
            (refusal != null ? REFUSED : ERRORS).incrementAndGet();
            System.out.println(refusal != null ? "CALL refused " + System.currentTimeMillis() + " " + CallLines.describeRefusal(refusal)
                    : "CALL error " + System.currentTimeMillis() + " " + e.getClass().getName() + " " + CallLines.oneLine(e.getMessage()));
            return refusal;
        }
    }

    /** {@code reservedMicros()} of the refusal: what calls in flight held when it was refused. */
    private static long heldByOthers(Throwable refusal) {
        try {
            return (long) refusal.getClass().getMethod("reservedMicros").invoke(refusal);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void runThreads(int threads, Runnable body) throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(body, "worker-" + t);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
