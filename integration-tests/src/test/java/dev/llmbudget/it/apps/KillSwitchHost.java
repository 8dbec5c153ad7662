package dev.llmbudget.it.apps;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A host application for the kill-switch tests: {@code threads} threads each make the same chat call
 * through the real OpenAI SDK over and over, {@code pauseMillis} apart, until the file {@code stopFile}
 * exists. Each call's user message carries its tag {@code [w<thread>#<seq>]}, so the test can tell from
 * the request bodies the fake received which calls reached it. One line per call:
 * <pre>CALL ok|refused|error &lt;thread&gt; &lt;seq&gt; &lt;startMicros&gt; &lt;endMicros&gt; [&lt;exception class&gt; rule=&lt;rule&gt; reason=&lt;reason&gt; | &lt;message&gt;]</pre>
 * with times in microseconds since the epoch (the wall clock both JVMs share), taken just before the SDK
 * call and just after it returned or threw.
 */
public final class KillSwitchHost {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long pauseMillis = Long.parseLong(args[1]);
        Path stopFile = Path.of(args[2]);
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(System.getProperty("it.baseUrl"))
                .apiKey("sk-test-kill-switch-000000000001").maxRetries(0).build();
        System.out.println("HOST main started");
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "w" + t;
            Thread thread = new Thread(() -> {
                for (int seq = 0; !Files.exists(stopFile); seq++) {
                    call(client, name, seq);
                    pause(pauseMillis);
                }
            }, name);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        System.out.println("DONE");
        System.exit(0);
    }

    private static void call(OpenAIClient client, String thread, int seq) {
        String tag = "[" + thread + "#" + seq + "]";
        long start = nowMicros();
        try {
            client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                    .addSystemMessage("You are the Verifier. Ask for a clearer version.")
                    .addUserMessage("Analyzer " + tag + ": the dataset shows a 12% rise in churn.")
                    .maxCompletionTokens(50).build());
            System.out.println("CALL ok " + thread + " " + seq + " " + start + " " + nowMicros());
        } catch (RuntimeException e) {
            long end = nowMicros();
            Throwable refusal = CallLines.refusalIn(e);
            Throwable reported = refusal != null ? refusal : e;
            System.out.println("CALL " + (refusal != null ? "refused " : "error ") + thread + " " + seq + " " + start + " " + end
                    + " " + reported.getClass().getName() + " rule=" + property(reported, "rule") + " reason="
                    + property(reported, "reason") + " | " + CallLines.oneLine(reported.getMessage()));
        }
    }

    /** The refusal's {@code rule()} or {@code reason()}, read as an application without the agent's classes would. */
    private static String property(Throwable refusal, String name) {
        try {
            return CallLines.oneLine(String.valueOf(refusal.getClass().getMethod(name).invoke(refusal)));
        } catch (ReflectiveOperationException e) {
            return "-";
        }
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
