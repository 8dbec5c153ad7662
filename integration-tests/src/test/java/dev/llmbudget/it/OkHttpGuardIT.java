package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.AnthropicHost;
import dev.llmbudget.it.apps.OkHttpHost;
import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.fake.FakeAnthropic;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Raw OkHttp calls to the providers' REST APIs (no SDK) in a child JVM with the real shaded agent: one
 * set of scenarios on OkHttp 4.12 (the SDKs' version) and on OkHttp 5. And the SDKs' own calls, which
 * go through OkHttp 4 too: guarded once, by the SDK's layer.
 */
class OkHttpGuardIT {
    /** gpt-4o-mini list prices in micro-USD per million tokens: $0.15 in, $0.075 cached in, $0.60 out. */
    private static final long MINI_IN = 150_000;
    private static final long MINI_OUT = 600_000;
    private static final String CLAUDE = "claude-sonnet-4-20250514";
    private static final String KNOWN_HOST = "providers.hosts=127.0.0.1";

    /** The OkHttp a child runs on. */
    enum OkHttp {
        V4("4.12."), V5("5.");

        private final String versionPrefix;

        OkHttp(String versionPrefix) {
            this.versionPrefix = versionPrefix;
        }

        ChildJvm child() {
            return on(ChildJvm.onCurrentJdk());
        }

        ChildJvm on(ChildJvm child) {
            return this == V5 ? child.withOkHttp5() : child;
        }
    }

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi openAi = FakeOpenAi.perTest();
    @RegisterExtension
    final FakeAnthropic anthropic = new FakeAnthropic();

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void aChatCompletionThatFitsIsSentAndSettledAtExactlyTheReportedUsage(OkHttp okHttp) throws Exception {
        openAi.reportUsage(new FakeOpenAi.ReportedUsage(1_234, 0, 56, 0));
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.daily.limit-usd=5.00", "budget.daily.window=day");

        ChildJvm.Result result = run(okHttp, config, "chat", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok 1234 56"), result.calls(), result::toString);
        assertEquals(1, openAi.requestCount());
        JsonNode line = onlyLine();
        assertEquals("allow", line.path("decision").asText());
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals("gpt-4o-mini", line.path("model").asText());
        assertEquals("chat.completions", line.path("endpoint").asText());
        assertEquals(1_234, line.path("actual").path("inputTokens").asLong());
        assertEquals(56, line.path("actual").path("outputTokens").asLong());
        assertEquals(100, line.path("estimated").path("outputTokens").asLong());
        assertEquals(ceilDiv(1_234 * MINI_IN + 56 * MINI_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
        assertTrue(line.path("apiKey").asText().startsWith("sk-…0001#"), "key only as fingerprint: " + line);
        assertTrue(!line.toString().contains("sk-test-host-key"), "no API key in the ledger: " + line);
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void anEnqueuedChatCompletionIsSettledAtItsUsage(OkHttp okHttp) throws Exception {
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1");

        ChildJvm.Result result = run(okHttp, config, "chat-async", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok 15 40"), result.calls(), result::toString);
        JsonNode line = onlyLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(ceilDiv(15 * MINI_IN + 40 * MINI_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void anAnthropicMessageThatFitsIsSettledAtItsUsageSyncAndAsync(OkHttp okHttp) throws Exception {
        anthropic.reportUsage(new FakeAnthropic.ReportedUsage(700, 0, 0, 45));
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1");

        ChildJvm.Result sync = run(okHttp, config, "messages", CLAUDE, "500");
        ChildJvm.Result async = run(okHttp, config, "messages-async", CLAUDE, "500");

        assertEquals(List.of("CALL ok 700 45"), sync.calls(), sync::toString);
        assertEquals(List.of("CALL ok 700 45"), async.calls(), async::toString);
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), ledger::toString);
        for (JsonNode line : ledger) {
            assertEquals("anthropic", line.path("provider").asText(), line::toString);
            assertEquals("settled", line.path("outcome").asText(), line::toString);
            assertEquals(CLAUDE, line.path("model").asText());
            assertEquals(500, line.path("estimated").path("outputTokens").asLong());
            // claude-sonnet-4: $3 in, $15 out per million tokens
            assertEquals((700 * 3_000_000L + 45 * 15_000_000L) / 1_000_000, line.path("settledMicroUsd").asLong());
            assertTrue(line.path("apiKey").asText().startsWith("sk-…0001#"), line::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void aCallThatDoesNotFitIsRefusedWithNothingSentSyncAndAsync(OkHttp okHttp) throws Exception {
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.tiny.limit-usd=0.0001");

        ChildJvm.Result sync = run(okHttp, config, "chat", "gpt-4o-mini", "1000");
        ChildJvm.Result async = run(okHttp, config, "chat-async", "gpt-4o-mini", "1000");
        ChildJvm.Result anthropicAsync = run(okHttp, config, "messages-async", CLAUDE, "1000");

        // execute() throws the refusal itself
        String refusal = " dev.llmbudget.BudgetExceededException ";
        assertEquals(1, sync.callsWith("refused").size(), sync::toString);
        assertTrue(sync.calls().get(0).startsWith("CALL refused dev.llmbudget.BudgetExceededException" + refusal),
                sync::toString);
        assertTrue(sync.calls().get(0).contains("budget.tiny.limit-usd"), sync::toString);
        // enqueue(): Callback.onFailure gets an IOException caused by it, and nothing is thrown on OkHttp's thread
        for (ChildJvm.Result result : List.of(async, anthropicAsync)) {
            assertEquals(1, result.callsWith("refused").size(), result::toString);
            assertTrue(result.calls().get(0).startsWith("CALL refused java.io.IOException" + refusal), result::toString);
            assertTrue(result.calls().get(0).contains("budget.tiny.limit-usd"), result::toString);
            assertTrue(!result.stderr().contains("Exception in thread"), result::toString);
        }
        assertEquals(0, openAi.requestCount(), "the provider must receive nothing for a refused call");
        assertEquals(0, anthropic.requestCount(), "the provider must receive nothing for a refused call");
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(3, ledger.size(), ledger::toString);
        for (JsonNode line : ledger) {
            assertEquals("refuse", line.path("decision").asText(), line::toString);
            assertEquals("budget.tiny.limit-usd", line.path("rule").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void aStreamWithoutUsageIsSettledFromTheOutputItCarried(OkHttp okHttp) throws Exception {
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1");

        ChildJvm.Result result = run(okHttp, config, "chat-stream", "gpt-4o-mini", "500");

        assertEquals(List.of("CALL ok stream 4 'A clearer version.'"), result.calls(), result::toString);
        JsonNode line = onlyLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertTrue(line.path("stream").asBoolean(), line::toString);
        assertTrue(line.path("detail").asText().startsWith("estimated from the output streamed so far"), line::toString);
        long output = line.path("actual").path("outputTokens").asLong();
        assertTrue(output > 0 && output < 500, line::toString);
        assertTrue(line.path("settledMicroUsd").asLong() < line.path("reservedMicroUsd").asLong(), line::toString);
        assertTrue(!openAi.requestBodies().get(0).contains("include_usage"), "the application's stream is not changed");
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void aStreamThatAskedForUsageIsSettledAtIt(OkHttp okHttp) throws Exception {
        openAi.reportUsage(new FakeOpenAi.ReportedUsage(300, 0, 25, 0));
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1");

        ChildJvm.Result result = run(okHttp, config, "chat-stream-usage", "gpt-4o-mini", "500");

        assertEquals(List.of("CALL ok stream 5 'A clearer version.'"), result.calls(), result::toString);
        JsonNode line = onlyLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(300, line.path("actual").path("inputTokens").asLong());
        assertEquals(25, line.path("actual").path("outputTokens").asLong());
        assertEquals(ceilDiv(300 * MINI_IN + 25 * MINI_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void aProviderErrorReleasesTheReservation(OkHttp okHttp) throws Exception {
        openAi.failNext(1, 500);
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1");

        ChildJvm.Result failed = run(okHttp, config, "chat", "gpt-4o-mini", "1000");

        assertEquals(List.of("CALL http 500"), failed.calls(), failed::toString);
        assertEquals(1, openAi.requestCount());
        JsonNode line = onlyLine();
        assertEquals("released", line.path("outcome").asText(), line::toString);
        assertEquals("http 500", line.path("detail").asText());
        assertEquals(0, line.path("settledMicroUsd").asLong());
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void aHostThatIsNotKnownPassesUnguarded(OkHttp okHttp) throws Exception {
        // no providers.hosts: 127.0.0.1 is none of the public LLM APIs the agent knows
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.0001");

        ChildJvm.Result result = run(okHttp, config, "chat", "gpt-4o-mini", "1000");

        assertEquals(List.of("CALL ok 15 40"), result.calls(), result::toString);
        assertEquals(1, openAi.requestCount());
        assertEquals(List.of(), Ledger.read(AgentConfigFile.ledger(dir)));
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void switchedOffOkHttpIsLeftUntouched(OkHttp okHttp) throws Exception {
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.tiny.limit-usd=0.0001",
                "instrumentation.okhttp.enabled=false");

        ChildJvm.Result result = run(okHttp, config, "chat-copied-client", "gpt-4o-mini", "1000");

        assertEquals("HOST interceptors 0", result.line("HOST interceptors"), result::toString);
        assertEquals(List.of("CALL ok 15 40"), result.calls(), result::toString);
        assertEquals(List.of(), Ledger.read(AgentConfigFile.ledger(dir)));
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void aClientCopiedWithNewBuilderHoldsTheGuardOnceAndGuardsOnce(OkHttp okHttp) throws Exception {
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1");

        ChildJvm.Result result = run(okHttp, config, "chat-copied-client", "gpt-4o-mini", "100");

        assertEquals("HOST interceptors 1", result.line("HOST interceptors"), result::toString);
        assertEquals(List.of("CALL ok 15 40"), result.calls(), result::toString);
        assertEquals("settled", onlyLine().path("outcome").asText());
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void anApplicationInterceptorThatRetriesRunsInsideTheGuardOneCallOneReservation(OkHttp okHttp) throws Exception {
        openAi.failNext(1, 503);
        // room for one reservation only: a second one for the retry would be refused
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=0.000620");

        ChildJvm.Result result = run(okHttp, config, "chat-app-retry", "gpt-4o-mini", "1000");

        assertEquals(List.of("CALL ok 15 40"), result.calls(), result::toString);
        assertEquals(2, openAi.requestCount(), "the application's interceptor retried");
        JsonNode line = onlyLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(ceilDiv(15 * MINI_IN + 40 * MINI_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
    }

    @ParameterizedTest
    @EnumSource(OkHttp.class)
    void onTheNewerJdkACallThatFitsIsSettledAndAnEnqueuedOneThatDoesNotIsNeverSent(OkHttp okHttp) throws Exception {
        String extra = System.getProperty("it.extraJavaHome", "");
        Path javaHome = extra.isBlank() ? null : Path.of(extra);
        assumeTrue(javaHome != null && Files.isExecutable(javaHome.resolve("bin").resolve("java")),
                "no second JDK at it.extraJavaHome=" + extra);
        ChildJvm.Result fits = run(okHttp.on(ChildJvm.on(javaHome)), okHttp,
                AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1"), "chat", "gpt-4o-mini", "1000");
        ChildJvm.Result refused = run(okHttp.on(ChildJvm.on(javaHome)), okHttp,
                AgentConfigFile.write(dir, KNOWN_HOST, "budget.tiny.limit-usd=0.0001"), "chat-async", "gpt-4o-mini", "1000");

        assertEquals(List.of("CALL ok 15 40"), fits.calls(), fits::toString);
        assertEquals(1, refused.callsWith("refused").size(), refused::toString);
        assertTrue(refused.calls().get(0).startsWith("CALL refused java.io.IOException dev.llmbudget.BudgetExceededException "),
                refused::toString);
        assertEquals(1, openAi.requestCount());
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(List.of("settled", "refused"), ledger.stream().map(line -> line.path("outcome").asText()).toList(),
                ledger::toString);
    }

    @Test
    void anOpenAiSdkCallOverOkHttpIsGuardedOnceByTheSdkLayerSyncAndAsync() throws Exception {
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1");

        ChildJvm.Result sync = sdkHost(config).run(OpenAiHost.class, "chat", "gpt-4o-mini", "100");
        ChildJvm.Result async = sdkHost(config).run(OpenAiHost.class, "chat-async", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok 15 40"), sync.calls(), sync::toString);
        assertEquals(List.of("CALL ok 15 40"), async.calls(), async::toString);
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), "one line per SDK call, none from OkHttp under it: " + ledger);
        for (JsonNode line : ledger) {
            assertEquals("settled", line.path("outcome").asText(), line::toString);
            assertEquals(1, line.path("httpAttempts").asInt(), "OkHttp reported its one attempt to the SDK's call: " + line);
        }
    }

    @Test
    void theSdksRetriesOverOkHttpAreAttemptsOfItsOneCall() throws Exception {
        openAi.failNext(2, 500);
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1");

        ChildJvm.Result result = sdkHost(config).run(OpenAiHost.class, "chat", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok 15 40"), result.calls(), result::toString);
        assertEquals(3, openAi.requestCount());
        JsonNode line = onlyLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(3, line.path("httpAttempts").asInt(), line::toString);
    }

    @Test
    void theSdksAsynchronousRetriesOverOkHttpAreAttemptsOfItsOneCall() throws Exception {
        openAi.failNext(1, 500);
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1");

        ChildJvm.Result result = sdkHost(config).run(OpenAiHost.class, "chat-async", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok 15 40"), result.calls(), result::toString);
        assertEquals(2, openAi.requestCount());
        // the SDK retries from its own timer thread: OkHttp sees that attempt unowned, but with the SDK's own
        // headers, and lets it pass; which call it belongs to is not visible there, so only the first is counted
        JsonNode line = onlyLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(ceilDiv(15 * MINI_IN + 40 * MINI_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
        assertEquals(1, line.path("httpAttempts").asInt(), line::toString);
    }

    @Test
    void anAnthropicSdkCallOverOkHttpIsGuardedOnce() throws Exception {
        Path config = AgentConfigFile.write(dir, KNOWN_HOST, "budget.run.limit-usd=1");

        ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", anthropic.baseUrl())
                .run(AnthropicHost.class, "messages", CLAUDE, "500");

        assertEquals(1, result.callsWith("ok").size(), result::toString);
        JsonNode line = onlyLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(1, line.path("httpAttempts").asInt(), line::toString);
    }

    private ChildJvm.Result run(OkHttp okHttp, Path config, String scenario, String model, String maxTokens) throws Exception {
        return run(okHttp.child(), okHttp, config, scenario, model, maxTokens);
    }

    private ChildJvm.Result run(ChildJvm child, OkHttp okHttp, Path config, String scenario, String model, String maxTokens)
            throws Exception {
        ChildJvm.Result result = child.withAgent(config).systemProperty("it.baseUrl", openAi.baseUrl())
                .systemProperty("it.anthropicUrl", anthropic.baseUrl()).run(OkHttpHost.class, scenario, model, maxTokens);
        assertTrue(result.line("HOST okhttp ").startsWith("HOST okhttp " + okHttp.versionPrefix), result::toString);
        assertEquals(0, result.exitCode(), result::toString);
        return result;
    }

    private ChildJvm sdkHost(Path config) {
        return ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", openAi.baseUrl());
    }

    private JsonNode onlyLine() throws Exception {
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(1, ledger.size(), ledger::toString);
        return ledger.get(0);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
