package dev.llmbudget.demo;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.completions.CompletionUsage;

import java.io.PrintStream;
import java.util.List;

/**
 * The runaway loop itself: each round the Analyzer writes a summary and the Verifier asks for a
 * clearer version, until the demo's own round cap, or until a call throws.
 */
final class RunawayLoop {

    /** Enough for a one-paragraph rewrite; also what llm-budget-agent prices as the worst case. */
    static final long MAX_COMPLETION_TOKENS = 800;
    static final int PROGRESS_EVERY_CALLS = 50;

    enum Ending { CAPPED, REFUSED, FAILED }

    /**
     * How the loop ended. {@code thrown} is the refusal (REFUSED) or the failure (FAILED);
     * {@code refusedCall} says which call it hit, e.g. "Analyzer, round 16".
     */
    record Outcome(Ending ending, int roundsCompleted, Throwable thrown, String refusedCall) {
    }

    private final OpenAIClient client;
    private final String model;
    private final int maxRounds;
    private final PrintStream out;
    private final CostTally tally = new CostTally();
    private final ConversationWindow window = new ConversationWindow();
    private final List<ChatAgent> agents;
    private boolean warnedMissingUsage;

    RunawayLoop(OpenAIClient client, String model, int maxRounds, PrintStream out) {
        this.client = client;
        this.model = model;
        this.maxRounds = maxRounds;
        this.out = out;
        String dataset = DatasetExcerpt.text();
        this.agents = List.of(ChatAgent.analyzer(dataset), ChatAgent.verifier(dataset));
    }

    CostTally tally() {
        return tally;
    }

    Outcome run() {
        for (int round = 1; round <= maxRounds; round++) {
            for (ChatAgent agent : agents) {
                ChatCompletion completion;
                try {
                    completion = client.chat().completions().create(window.requestFor(agent, model, MAX_COMPLETION_TOKENS));
                } catch (RuntimeException e) {
                    // What a real app does: catch, and decide whether this is worth going on after.
                    Throwable refusal = AgentRefusal.find(e);
                    return refusal != null
                            ? new Outcome(Ending.REFUSED, round - 1, refusal, agent.name() + ", round " + round)
                            : new Outcome(Ending.FAILED, round - 1, e, agent.name() + ", round " + round);
                }
                record(agent, completion);
            }
        }
        return new Outcome(Ending.CAPPED, maxRounds, null, null);
    }

    private void record(ChatAgent agent, ChatCompletion completion) {
        CompletionUsage usage = completion.usage().orElse(null);
        if (usage == null && !warnedMissingUsage) {
            warnedMissingUsage = true;
            System.err.println("warning: a response carried no usage; such calls are counted as 0 tokens");
        }
        tally.record(usage == null ? 0 : usage.promptTokens(), usage == null ? 0 : usage.completionTokens());
        String reply = completion.choices().isEmpty() ? ""
                : completion.choices().get(0).message().content().orElse("");
        window.record(agent, reply);

        if (tally.calls() % PROGRESS_EVERY_CALLS == 0) {
            out.printf("  %,6d calls  %,11d in / %,9d out tokens  %s so far%n",
                    tally.calls(), tally.promptTokens(), tally.completionTokens(), CostTally.usd(tally.costMicros()));
        }
    }
}
