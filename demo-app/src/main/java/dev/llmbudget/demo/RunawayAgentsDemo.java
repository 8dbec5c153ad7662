package dev.llmbudget.demo;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

import java.io.IOException;
import java.io.PrintStream;

/**
 * The $47,000 runaway-agents incident in miniature: an Analyzer and a Verifier that keep asking
 * each other for "a clearer version", with nothing in the app to stop them but a round cap.
 *
 * <p>Run it plain to see what the loop costs; run it with {@code -javaagent:llm-budget-agent.jar}
 * to see the agent refuse the call that no longer fits the budget. The app has no compile-time
 * knowledge of the agent: it catches {@code RuntimeException}, as any app would, and recognises
 * the refusal by class name.
 *
 * <p>Talks to a local OpenAI simulator unless {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL}
 * are both set (then to that endpoint, with model {@code DEMO_MODEL}, default gpt-4o-mini).
 *
 * <p>Exit status: 0 when the loop reached its cap or was stopped by the agent, 1 when a call
 * failed for another reason, 2 for bad arguments.
 */
public final class RunawayAgentsDemo {

    /** The demo's own cap, the only brake the app has: 500 rounds, 1,000 calls. */
    public static final int MAX_ROUNDS = 500;

    static final String SIMULATOR_MODEL = "gpt-4o";
    /**
     * A new simulator key every run: the demo's budget is per API key (see agent.properties), and the
     * agent keeps spend across restarts, so each run starts with its own $0.50.
     */
    static final String SIMULATOR_API_KEY = "sk-demo-not-a-real-key-" + Long.toHexString(System.nanoTime() ^ System.currentTimeMillis());
    static final String DEFAULT_REAL_MODEL = "gpt-4o-mini";

    private RunawayAgentsDemo() {
    }

    public static void main(String[] args) {
        // Exit explicitly: the status is the demo's answer, and no stray non-daemon thread
        // (of a client library or an agent) should keep a finished demo alive.
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        int maxRounds;
        try {
            maxRounds = parseMaxRounds(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: java [-javaagent:llm-budget-agent.jar] -jar demo-app.jar [--max-rounds N]");
            return 2;
        }

        out.println("Runaway agents: an Analyzer and a Verifier ask each other for \"a clearer version\", up to "
                + maxRounds + " rounds.");
        out.println(AgentRefusal.agentAttached()
                ? "llm-budget-agent is attached."
                : "llm-budget-agent is NOT attached: nothing will stop this loop before the demo's own cap of "
                        + maxRounds + " rounds.");

        String apiKey = System.getenv("OPENAI_API_KEY");
        String baseUrl = System.getenv("OPENAI_BASE_URL");
        boolean realEndpoint = notBlank(apiKey) && notBlank(baseUrl);

        OpenAiSimulator simulator = null;
        try {
            String model;
            if (realEndpoint) {
                String demoModel = System.getenv("DEMO_MODEL");
                model = notBlank(demoModel) ? demoModel : DEFAULT_REAL_MODEL;
                out.println("endpoint         : " + baseUrl + " (model " + model + ", from OPENAI_BASE_URL: real calls, real money)");
            } else {
                simulator = OpenAiSimulator.start();
                apiKey = SIMULATOR_API_KEY;
                baseUrl = simulator.baseUrl();
                model = SIMULATOR_MODEL;
                out.println("endpoint         : local OpenAI simulator at " + baseUrl + " (model " + model + ")");
            }

            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).build();
            RunawayLoop loop = new RunawayLoop(client, model, maxRounds, out);
            RunawayLoop.Outcome outcome;
            try {
                outcome = loop.run();
            } finally {
                client.close();
            }

            int received = simulator == null ? -1 : simulator.requestCount();
            new DemoSummary(out, model, maxRounds, received).print(outcome, loop.tally());
            if (outcome.ending() == RunawayLoop.Ending.FAILED) {
                System.err.println("LLM call failed, and it was not a refusal by llm-budget-agent:");
                outcome.thrown().printStackTrace();
                return 1;
            }
            return 0;
        } catch (IOException e) {
            System.err.println("could not start the local OpenAI simulator: " + e);
            return 1;
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    /** {@code --max-rounds N} (or {@code --max-rounds=N}); {@link #MAX_ROUNDS} without it. */
    static int parseMaxRounds(String[] args) {
        int maxRounds = MAX_ROUNDS;
        for (int i = 0; i < args.length; i++) {
            String value;
            if (args[i].equals("--max-rounds") && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith("--max-rounds=")) {
                value = args[i].substring("--max-rounds=".length());
            } else {
                throw new IllegalArgumentException("unknown or incomplete argument: " + args[i]);
            }
            try {
                maxRounds = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--max-rounds needs a whole number, got: " + value);
            }
            if (maxRounds < 1) {
                throw new IllegalArgumentException("--max-rounds must be at least 1, got: " + maxRounds);
            }
        }
        return maxRounds;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
