package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.PingPongHost;
import dev.llmbudget.it.apps.ToolLoopHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.IncidentRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seeds' runaway loops, each run unlimited (the agent attached with a generous budget only: the loop
 * ends at the application's or the library's own cap) and limited (one limit of issue 6), in child JVMs with
 * the real agent and client libraries against the fake provider:
 * <ul>
 *   <li>the Analyzer/Verifier ping-pong on the OpenAI SDK, stopped by loop detection or by the run's call cap;</li>
 *   <li>a LangChain4j AI service whose model asks for its tool again and again, stopped at the run's call cap
 *       instead of LangChain4j's 100 round trips.</li>
 * </ul>
 * Each test prints an {@code INCIDENT} line with the calls and dollars of both runs.
 */
class RunawayLoopsIT {
    /** The pipeline's own cap: 100 rounds of Analyzer and Verifier. */
    private static final int PIPELINE_CAP = 200;
    private static final List<String> GENEROUS = List.of("budget.daily.limit-usd=100", "budget.daily.window=day",
            "task.entry-points=dev.llmbudget.it.apps.PingPongHost#pipeline");

    @TempDir
    static Path classDir;
    /** The unlimited ping-pong, run once for both of its tests. */
    private static IncidentRun unlimitedPingPong;

    @TempDir
    Path dir;

    /**
     * Loop detection: after the first request (A0) the pair B, A alternates, so the seventh request (A) would
     * complete its third repetition. The run cap: the eleventh call of the run.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ping-pong(loop),    limits.loop.ping-pong=3,  6, dev.llmbudget.LoopDetectedException,      limits.loop.ping-pong",
        "ping-pong(run-cap), limits.task.max-calls=10, 10, dev.llmbudget.TaskLimitExceededException, limits.task.max-calls"})
    void theAnalyzerVerifierPingPongIsStoppedWithinItsLimitsCalls(String incident, String limit, int admitted, String exception,
                                                                   String rule) throws Exception {
        IncidentRun unlimited = unlimitedPingPong();
        IncidentRun limited = pingPong(dir, "limited", limit);

        assertEquals(admitted, limited.providerRequests(), limited::toString);
        assertEquals(admitted, limited.result().callsWith("ok").size(), limited::toString);
        assertEquals(1, limited.result().callsWith("refused").size(), limited::toString);
        assertEquals(exception, limited.stoppedBy(), limited::toString);
        assertEquals(rule, limited.rule(), limited::toString);
        assertEquals(admitted, limited.admitted().size(), limited.ledger()::toString);
        assertEquals(1, limited.refused().size(), limited.ledger()::toString);
        JsonNode refusal = limited.refused().get(0);
        assertEquals(rule, refusal.path("rule").asText(), refusal::toString);
        assertEquals(0, refusal.path("settledMicroUsd").asLong(), refusal::toString);
        // one pipeline invocation, one run, which the refused call belongs to as well
        assertEquals(1, limited.admittedPerRun().size(), "one run: " + limited.admittedPerRun());
        assertTrue(limited.admittedPerRun().firstKey().startsWith("run-"), "the ledger names the run: " + limited.admittedPerRun());
        assertEquals(limited.admittedPerRun().firstKey(), refusal.path("task").asText(), refusal::toString);
        IncidentRun.report(incident, unlimited, limited, "");
    }

    @Test
    void aLangChain4jToolLoopIsStoppedAtTheRunsCallCapNotAtLangChain4jsHundredRoundTrips() throws Exception {
        IncidentRun unlimited;
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            fake.askForTool("churnFigures", Integer.MAX_VALUE);
            unlimited = IncidentRun.run(dir, "unlimited", fake, List.of("budget.daily.limit-usd=100", "budget.daily.window=day"),
                    ToolLoopHost.class, "1");
        }
        IncidentRun limited;
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            fake.askForTool("churnFigures", Integer.MAX_VALUE);
            limited = IncidentRun.run(dir, "limited", fake, List.of("budget.daily.limit-usd=100", "budget.daily.window=day",
                    "limits.task.max-calls=8"), ToolLoopHost.class, "2");
        }

        // LangChain4j's ToolService: the first answer, then up to maxSequentialToolsInvocations (100) more round trips
        assertEquals(101, unlimited.providerRequests(), unlimited::toString);
        assertEquals(List.of("INVOCATION 1 tools=100"), lines(unlimited, "INVOCATION"), unlimited::toString);
        assertTrue(unlimited.result().calls().get(0).startsWith("CALL error java.lang.RuntimeException Something is wrong, exceeded 100"),
                unlimited::toString);

        // each AI-service invocation is its own run: 8 model calls each, the ninth refused
        assertEquals(16, limited.providerRequests(), limited::toString);
        assertEquals(List.of("INVOCATION 1 tools=8", "INVOCATION 2 tools=8"), lines(limited, "INVOCATION"), limited::toString);
        assertEquals(2, limited.result().callsWith("refused").size(), limited::toString);
        for (String refusal : limited.result().callsWith("refused")) {
            assertTrue(refusal.startsWith("CALL refused dev.llmbudget.TaskLimitExceededException rule=limits.task.max-calls "), refusal);
        }
        assertEquals(16, limited.admitted().size(), limited.ledger()::toString);
        assertEquals(List.of(8L, 8L), List.copyOf(limited.admittedPerRun().values()), "8 calls in each of two runs: " + limited.admittedPerRun());
        assertEquals(2, limited.refused().size(), limited.ledger()::toString);
        IncidentRun.report("langchain4j-tool-loop", unlimited, limited, "(limited: 2 AI-service invocations, 8 calls each)");
    }

    private static synchronized IncidentRun unlimitedPingPong() throws Exception {
        if (unlimitedPingPong == null) {
            unlimitedPingPong = pingPong(classDir, "unlimited");
            IncidentRun unlimited = unlimitedPingPong;
            assertEquals(PIPELINE_CAP, unlimited.providerRequests(), unlimited::toString);
            assertEquals(PIPELINE_CAP, unlimited.result().callsWith("ok").size(), unlimited::toString);
            assertEquals("DONE calls=" + PIPELINE_CAP, unlimited.result().line("DONE"));
            assertEquals(PIPELINE_CAP, unlimited.admitted().size(), unlimited.ledger()::toString);
        }
        return unlimitedPingPong;
    }

    private static IncidentRun pingPong(Path dir, String name, String... limits) throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            List<String> config = new ArrayList<>(GENEROUS);
            config.addAll(List.of(limits));
            IncidentRun run = IncidentRun.run(dir, name, fake, config, PingPongHost.class, String.valueOf(PIPELINE_CAP));
            // the scenario really is a ping-pong: after the first request, two requests alternate
            List<String> bodies = fake.requestBodies();
            for (int i = 1; i + 2 < bodies.size(); i++) {
                assertEquals(bodies.get(i), bodies.get(i + 2), "request " + (i + 2) + " repeats request " + i);
            }
            assertEquals(Math.min(3, bodies.size()), Set.copyOf(bodies).size(), "the first request and the pair that alternates");
            return run;
        }
    }

    private static List<String> lines(IncidentRun run, String prefix) {
        return run.result().stdout().lines().filter(line -> line.startsWith(prefix)).toList();
    }
}
