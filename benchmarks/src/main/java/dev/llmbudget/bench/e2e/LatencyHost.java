package dev.llmbudget.bench.e2e;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The application side of the end-to-end benchmark, run in a child JVM with or without the agent:
 * it makes chat calls through the real OpenAI SDK when told to and reports each call's time.
 *
 * <p>Commands on stdin, one per line: {@code calls <n> fresh|loop} answers {@code latencies <nanos>,<nanos>,...}
 * (fresh: a new 1,000-token prompt every call; loop: an agent loop's resent conversation plus a new turn);
 * {@code heap} answers {@code heap <bytes used after GC>}; {@code quit} exits.
 */
public final class LatencyHost {
    private LatencyHost() {
    }

    public static void main(String[] args) throws Exception {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(args[0]).apiKey("sk-bench-000000000000000000000001")
                .maxRetries(0).build();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        System.out.flush();
        long sequence = 0;
        for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
            String[] words = line.split(" ");
            if (words[0].equals("calls") && words.length == 3) {
                int count = Integer.parseInt(words[1]);
                boolean fresh = words[2].equals("fresh");
                StringBuilder out = new StringBuilder("latencies ");
                for (int i = 0; i < count; i++) {
                    ChatCompletionCreateParams params = fresh ? freshPrompt(++sequence) : nextTurn(++sequence);
                    long start = System.nanoTime();
                    client.chat().completions().create(params);
                    long nanos = System.nanoTime() - start;
                    out.append(i == 0 ? "" : ",").append(nanos);
                }
                System.out.println(out);
            } else if (line.equals("heap")) {
                System.out.println("heap " + heapAfterGc());
            } else {
                System.out.println("error unknown command " + line);
            }
            System.out.flush();
        }
        System.exit(0);
    }

    /** About 1,000 tokens, none of it sent before: the tokenizer counts all of it. */
    private static ChatCompletionCreateParams freshPrompt(long sequence) {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addSystemMessage("You are a careful analyst. Answer in one word.")
                .addUserMessage("Request " + sequence + ". " + Prompts.aboutThousandTokens()).maxCompletionTokens(16).build();
    }

    /** An agent loop: the same conversation so far (about 1,000 tokens) and one new short turn. */
    private static ChatCompletionCreateParams nextTurn(long sequence) {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addSystemMessage("You are a careful analyst. Answer in one word.")
                .addUserMessage(Prompts.aboutThousandTokens())
                .addAssistantMessage("Noted. What should I check next?")
                .addUserMessage("Turn " + sequence + ": give a clearer version of point " + (sequence % 40) + ".")
                .maxCompletionTokens(16).build();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
