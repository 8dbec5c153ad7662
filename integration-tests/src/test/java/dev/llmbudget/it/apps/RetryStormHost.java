package dev.llmbudget.it.apps;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * The seeds' data-enrichment job that took an API error for "retry with different parameters" and made
 * 2.3 million calls over a weekend: it calls the OpenAI SDK (with the SDK's own retries on top) and, after
 * any failure, tries again 20 ms later, until its time box (counted from the end of its first call) ends.
 * A refusal by the agent is just another failure to it.
 *
 * <p>Arguments: phases of {@code <vary|same> <sdkMaxRetries> <seconds>}, run in turn: {@code vary} changes the
 * temperature and an attempt counter in the prompt each time, so no two requests are alike; {@code same} sends
 * the same request again. Each phase enriches its own record ({@code PHASE record=<n> <vary|same>}). Prints per
 * call of the application {@code CALL ok at=<millis>}, {@code CALL error <class> <message> at=<millis>} or
 * {@code CALL refused <class> rule=<rule> <message> at=<millis>}.
 */
public final class RetryStormHost {

    private RetryStormHost() {
    }

    public static void main(String[] args) {
        System.out.println("HOST main started");
        for (int i = 0; i + 2 < args.length; i += 3) {
            boolean vary = switch (args[i]) {
                case "vary" -> true;
                case "same" -> false;
                default -> throw new IllegalArgumentException("unknown phase " + args[i]);
            };
            enrich(42 + i / 3, vary, IncidentClients.openAi(Integer.parseInt(args[i + 1])), Long.parseLong(args[i + 2]) * 1000);
        }
        System.out.flush();
        System.exit(0);
    }

    /** Enriches one record, retrying until it works or the time box ends. */
    private static void enrich(int record, boolean vary, OpenAIClient client, long timeBoxMillis) {
        System.out.println("PHASE record=" + record + (vary ? " vary" : " same"));
        // the box starts after the first call: that one also loads the SDK, which on a busy machine takes seconds
        long end = Long.MAX_VALUE;
        for (int attempt = 1; System.currentTimeMillis() < end; attempt++) {
            ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(IncidentClients.MODEL)
                    .addSystemMessage("You enrich company records with industry and size.").maxCompletionTokens(300);
            if (vary) {
                params.addUserMessage("Enrich record " + record + " (attempt " + attempt + ", be more careful this time).")
                        .temperature(Math.min(2.0, 0.2 + attempt * 0.01));
            } else {
                params.addUserMessage("Enrich record " + record + ".");
            }
            try {
                client.chat().completions().create(params.build());
                System.out.println("CALL ok at=" + System.currentTimeMillis());
                return;
            } catch (RuntimeException e) {
                System.out.println(CallLines.failureLine(e) + " at=" + System.currentTimeMillis());
            }
            end = Math.min(end, System.currentTimeMillis() + timeBoxMillis);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
