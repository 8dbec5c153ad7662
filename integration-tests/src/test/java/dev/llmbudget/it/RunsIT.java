package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.MdcLoggingProvider;
import dev.llmbudget.it.apps.RunsHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs found with no code change: configured entry points and LangChain4j AI-service invocations, followed
 * onto the threads the work is handed to, and the tenant read from the host's SLF4J MDC (through the shaded
 * agent, which carries a relocated slf4j of its own: the host's must be the one read). Read from the
 * ledger ({@code task}: the run's id, {@code tenant}), each call told apart by the {@code max_completion_tokens}
 * it asked for ({@link RunsHost}).
 */
class RunsIT {
    private static final String PIPELINE = RunsHost.Pipeline.class.getName();
    private static final String ENTRY_POINTS = "task.entry-points=" + PIPELINE + "#run," + PIPELINE + "#step(java.lang.String)";
    /**
     * Calls of each run: on its own thread, through a pool, CompletableFuture stages, a new thread, the common pool,
     * a nested entry point, a scheduled task, a periodic one (twice), a parallel stream (twice).
     */
    private static final List<Integer> RUN_CALLS = List.of(1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14);
    /** On JDK 21+ also: a virtual thread, a virtual-thread-per-task executor. */
    private static final List<Integer> VIRTUAL_CALLS = List.of(10, 11);

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();

    @Test
    void aRunFollowsItsWorkOntoPoolsStagesAndNewThreadsAndEndsWithItsEntryPoint() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=5", ENTRY_POINTS, "tenant.mdc-key=tenantId");

        ChildJvm.Result result = withMdc(ChildJvm.onCurrentJdk()).withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .run(RunsHost.class, "handoffs");

        assertHandoffsFollowed(result, false);
    }

    @Test
    void onJdk25ARunAlsoFollowsItsWorkOntoVirtualThreads() throws Exception {
        String extra = System.getProperty("it.extraJavaHome", "");
        Path javaHome = extra.isBlank() ? null : Path.of(extra);
        assumeTrue(javaHome != null && Files.isExecutable(javaHome.resolve("bin").resolve("java")), "no second JDK at it.extraJavaHome=" + extra);
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=5", ENTRY_POINTS, "tenant.mdc-key=tenantId");

        ChildJvm.Result result = withMdc(ChildJvm.on(javaHome)).withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .run(RunsHost.class, "handoffs", "virtual");

        assertHandoffsFollowed(result, true);
    }

    @Test
    void eachAiServiceInvocationIsOneRunToolLoopIncludedAndInsideAnEntryPointItBelongsToThatRun() throws Exception {
        fake.askForTool("latestFigures", 1);
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=5", "task.entry-points=" + PIPELINE + "#ask");

        ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .run(RunsHost.class, "ai-service");

        assertTrue(result.stdout().contains("HOST proxy toString ok"), "Object methods of the proxy still work:\n" + result);
        assertTrue(result.stdout().contains("HOST main finished"), result::toString);
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        List<String> topLevel = tasksOf(ledger, 301);
        List<String> inEntryPoint = tasksOf(ledger, 302);
        assertEquals(3, topLevel.size(), "the first invocation asks the model twice (a tool call, then the answer): " + ledger);
        assertNotNull(topLevel.get(0));
        assertEquals(topLevel.get(0), topLevel.get(1), "one tool-calling loop is one run");
        assertNotNull(topLevel.get(2));
        assertNotEquals(topLevel.get(0), topLevel.get(2), "the second invocation is another run");
        assertEquals(2, inEntryPoint.size(), ledger::toString);
        assertNotNull(inEntryPoint.get(0));
        assertEquals(inEntryPoint.get(0), inEntryPoint.get(1), "inside an entry point, both invocations belong to its run");
        assertTrue(!topLevel.contains(inEntryPoint.get(0)), ledger::toString);
        assertEquals(5, fake.requestCount());
    }

    @Test
    void attachedToARunningJvmTheAgentRetransformsAnEntryPointThatAlreadyRan() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=5", "task.entry-points=" + PIPELINE + "#attached");

        ChildJvm.Result result = ChildJvm.onCurrentJdk().systemProperty("it.baseUrl", fake.baseUrl())
                .systemProperty("it.agentJar", ChildJvm.agentJar().toString()).systemProperty("it.agentConfig", config.toString())
                .jvmArg("-Djdk.attach.allowAttachSelf=true").run(RunsHost.class, "late-attach");

        assertTrue(result.stdout().contains("HOST main finished"), result::toString);
        Map<Integer, List<String>> tasks = tasksByCall(Ledger.read(AgentConfigFile.ledger(dir)));
        assertEquals(List.of(411, 412, 413, 421, 422, 423), List.copyOf(tasks.keySet()), "calls before the agent came are not in its ledger");
        String first = single(tasks, 411);
        String second = single(tasks, 421);
        assertNotNull(first);
        assertNotEquals(first, second);
        assertEquals(first, single(tasks, 412), "the pool's thread, idle since before the agent came");
        assertEquals(first, single(tasks, 413));
        assertEquals(second, single(tasks, 422));
        assertEquals(second, single(tasks, 423));
    }

    /** The host's SLF4J with an MDC that keeps what is put in it (slf4j-simple's does not). */
    private static ChildJvm withMdc(ChildJvm child) {
        return child.systemProperty("slf4j.provider", MdcLoggingProvider.class.getName()).systemProperty("slf4j.internal.verbosity", "WARN");
    }

    private void assertHandoffsFollowed(ChildJvm.Result result, boolean virtual) throws Exception {
        assertTrue(result.stdout().contains("HOST main finished"), result::toString);
        assertTrue(result.stderr().lines().allMatch(line -> line.startsWith("[llm-budget-agent]")),
                "nothing but the agent's own startup line on the host's stderr:\n" + result.stderr());
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        Map<Integer, List<String>> tasks = tasksByCall(ledger);
        List<Integer> calls = new ArrayList<>(RUN_CALLS);
        if (virtual) {
            calls.addAll(VIRTUAL_CALLS);
        }
        String first = single(tasks, 101);
        String second = single(tasks, 201);
        assertNotNull(first, "the entry point's own call is in its run: " + ledger);
        assertNotNull(second);
        assertNotEquals(first, second, "each invocation of the entry point is a run of its own");
        for (int call : calls) {
            assertAllIn(first, tasks, 100 + call);
            assertAllIn(second, tasks, 200 + call);
        }
        assertEquals(2, tasks.get(113).size(), "the periodic task ran twice");
        assertEquals(2, tasks.get(114).size(), "the parallel stream made two calls");
        assertAllIn(first, tasks, 109);
        assertNull(single(tasks, 901), "the pooled thread, after the run, carries no run");
        assertNull(single(tasks, 902), "a pool thread created in a run does not keep it");
        assertNull(single(tasks, 903), "a thread created in a run leaves it when the run ends");
        assertNull(single(tasks, 904), "a scheduler thread created in a run does not keep it");
        assertEquals("tenant-1", line(ledger, 101).path("tenant").asText(), "the tenant in the calling thread's MDC");
        assertEquals("tenant-2", line(ledger, 201).path("tenant").asText());
        assertTrue(textOrNull(line(ledger, 901).path("tenant")) == null, "no tenant in that thread's MDC");
        assertEquals(ledger.size(), fake.requestCount(), "every call made is in the ledger");
    }

    /** The run id ({@code task}) of each ledger line, by the maximum output tokens its call asked for. */
    private static Map<Integer, List<String>> tasksByCall(List<JsonNode> ledger) {
        Map<Integer, List<String>> tasks = new TreeMap<>();
        for (JsonNode line : ledger) {
            tasks.computeIfAbsent(line.path("estimated").path("outputTokens").asInt(), k -> new ArrayList<>()).add(textOrNull(line.path("task")));
        }
        return tasks;
    }

    private static List<String> tasksOf(List<JsonNode> ledger, int call) {
        List<String> tasks = tasksByCall(ledger).get(call);
        return tasks == null ? List.of() : tasks;
    }

    private static void assertAllIn(String run, Map<Integer, List<String>> tasks, int call) {
        List<String> found = tasks.get(call);
        assertNotNull(found, "no ledger line for call " + call + ": " + tasks);
        for (String task : found) {
            assertEquals(run, task, "call " + call + ": " + tasks);
        }
    }

    private static String single(Map<Integer, List<String>> tasks, int call) {
        List<String> found = tasks.get(call);
        assertNotNull(found, "no ledger line for call " + call + ": " + tasks);
        assertEquals(1, found.size(), "call " + call + ": " + tasks);
        return found.get(0);
    }

    private static JsonNode line(List<JsonNode> ledger, int call) {
        return ledger.stream().filter(line -> line.path("estimated").path("outputTokens").asInt() == call).findFirst()
                .orElseThrow(() -> new AssertionError("no ledger line for call " + call));
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
