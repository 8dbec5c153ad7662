package dev.llmbudget.it.apps;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * The seeds' Analyzer/Verifier loop in miniature: two agents on the OpenAI SDK in one research run, each
 * asked about the other's last answer. A model that always answers the same way (the fake does) makes the
 * two requests repeat, A, B, A, B, ..., as the seeds' pair did for eleven days; here the application's own
 * cap, {@code maxCalls}, is the only thing that ends it.
 *
 * <p>Argument: {@code <maxCalls>}. Prints {@code CALL ok <agent>} per call; a call that fails ends the run
 * ({@code CALL refused <class> rule=<rule> <message>} or {@code CALL error ...}); then {@code DONE calls=<n>}.
 * The run is {@link #pipeline(int)}: the tests name it in {@code task.entry-points}.
 */
public final class PingPongHost {
    private final OpenAIClient client;
    private int calls;

    private PingPongHost(OpenAIClient client) {
        this.client = client;
    }

    public static void main(String[] args) {
        System.out.println("HOST main started");
        PingPongHost host = new PingPongHost(IncidentClients.openAi(0));
        try {
            host.pipeline(Integer.parseInt(args[0]));
        } catch (RuntimeException e) {
            System.out.println(CallLines.failureLine(e));
        }
        System.out.println("DONE calls=" + host.calls);
        System.out.flush();
        System.exit(0);
    }

    /** One research run, until the cap (or a failure, thrown out of the run as an application would). */
    public void pipeline(int maxCalls) {
        String verifierSaid = "Analyse the churn dataset and report what changed.";
        while (calls < maxCalls) {
            String analyzerSaid = ask("Analyzer", "You are the Analyzer. Answer the Verifier's request.", verifierSaid);
            if (calls < maxCalls) {
                verifierSaid = ask("Verifier", "You are the Verifier. Check the analysis; ask for a clearer version if needed.", analyzerSaid);
            }
        }
    }

    private String ask(String agent, String role, String otherSaid) {
        String answer = client.chat().completions().create(ChatCompletionCreateParams.builder().model(IncidentClients.MODEL)
                        .addSystemMessage(role).addUserMessage(otherSaid).maxCompletionTokens(300).build())
                .choices().get(0).message().content().orElse("");
        calls++;
        System.out.println("CALL ok " + agent);
        return answer;
    }
}
