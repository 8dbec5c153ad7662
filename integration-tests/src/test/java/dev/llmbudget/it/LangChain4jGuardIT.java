package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbudget.it.apps.LangChain4jHost;
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

/**
 * LangChain4j 1.x (core, its OpenAI and Anthropic provider modules, their JDK HttpClient) in a child JVM
 * with the real shaded agent, against the fake providers. Guarded at {@code ChatModel.chat} /
 * {@code StreamingChatModel.chat}, above the retries LangChain4j makes inside {@code doChat}; nothing
 * here depends on a guard at the HTTP level.
 */
class LangChain4jGuardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GPT = "gpt-4o-mini";
    private static final String CLAUDE = "claude-sonnet-4-20250514";
    /** gpt-4o-mini list prices in micro-USD per million tokens: $0.15 in, $0.075 cached in, $0.60 out. */
    private static final long MINI_IN = 150_000;
    private static final long MINI_CACHED = 75_000;
    private static final long MINI_OUT = 600_000;
    /** claude-sonnet-4: $3 in, $0.30 cache read, $3.75 cache write, $15 out. */
    private static final long SONNET_IN = 3_000_000;
    private static final long SONNET_READ = 300_000;
    private static final long SONNET_WRITE = 3_750_000;
    private static final long SONNET_OUT = 15_000_000;

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi openAi = FakeOpenAi.perTest();
    @RegisterExtension
    final FakeAnthropic anthropic = new FakeAnthropic();

    @Test
    void anOpenAiChatThatFitsGoesThroughAndIsSettledAtExactlyTheReportedUsage() throws Exception {
        openAi.reportUsage(new FakeOpenAi.ReportedUsage(1_234, 200, 56, 10));
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=5.00", "budget.daily.window=day");

        ChildJvm.Result result = onOpenAi(config).run(LangChain4jHost.class, "openai-chat", GPT, "100");

        assertEquals(List.of("CALL ok 1234 56"), result.calls(), result::toString);
        assertEquals(1, openAi.requestCount());
        assertEquals(100, JSON.readTree(openAi.requestBodies().get(0)).path("max_completion_tokens").asLong());
        JsonNode line = onlyLedgerLine();
        assertEquals("allow", line.path("decision").asText());
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals("openai", line.path("provider").asText());
        assertEquals("langchain4j.chat", line.path("endpoint").asText());
        assertEquals(GPT, line.path("model").asText(), "the model the builder set, merged as LangChain4j merges it");
        assertFalse(line.path("stream").asBoolean());
        assertEquals(100, line.path("estimated").path("outputTokens").asLong());
        assertEquals(1_234, line.path("actual").path("inputTokens").asLong());
        assertEquals(200, line.path("actual").path("cachedInputTokens").asLong());
        assertEquals(56, line.path("actual").path("outputTokens").asLong());
        assertEquals(ceilDiv((1_234 - 200) * MINI_IN + 200 * MINI_CACHED + 56 * MINI_OUT, 1_000_000),
                line.path("settledMicroUsd").asLong());
        assertTrue(line.path("apiKey").asText().startsWith("sk-…0001#"), "the key only as its fingerprint: " + line);
        assertFalse(Files.readString(AgentConfigFile.ledger(dir)).contains("sk-test-host-key"), "no API key in the ledger");
        assertFalse(Files.readString(AgentConfigFile.ledger(dir)).contains("churn"), "no prompt text in the ledger");
    }

    @Test
    void anOpenAiChatThatDoesNotFitIsRefusedToTheCallerAndNeitherSentNorRetried() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.0001");

        ChildJvm.Result result = onOpenAi(config).systemProperty("it.maxRetries", "3")
                .run(LangChain4jHost.class, "openai-chat", GPT, "1000");

        List<String> refused = result.callsWith("refused");
        assertEquals(1, refused.size(), result::toString);
        assertTrue(refused.get(0).startsWith("CALL refused dev.llmbudget.BudgetExceededException "),
                "the refusal itself, not wrapped by LangChain4j's retry loop: " + refused.get(0));
        assertTrue(refused.get(0).contains("budget.tiny.limit-usd"), refused.get(0));
        assertEquals(0, openAi.requestCount(), "nothing reaches the provider, and LangChain4j (maxRetries=3) retried nothing");
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(1, ledger.size(), "one refusal, not one per retry: " + ledger);
        assertEquals("refuse", ledger.get(0).path("decision").asText());
        assertEquals(0, ledger.get(0).path("settledMicroUsd").asLong());
    }

    @Test
    void theRetriesLangChain4jMakesInsideDoChatAreOneCallChargedOnce() throws Exception {
        openAi.failNext(2, 500);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = onOpenAi(config).systemProperty("it.maxRetries", "2")
                .run(LangChain4jHost.class, "openai-chat", GPT, "100");

        assertEquals(List.of("CALL ok 15 40"), result.calls(), result::toString);
        assertEquals(3, openAi.requestCount(), "two failures retried by LangChain4j, then a success");
        JsonNode line = onlyLedgerLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(ceilDiv(15 * MINI_IN + 40 * MINI_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
    }

    @Test
    void anOpenAiStreamIsSettledAtItsFinalUsage() throws Exception {
        openAi.reportUsage(new FakeOpenAi.ReportedUsage(200, 0, 10, 0));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = onOpenAi(config).run(LangChain4jHost.class, "openai-stream", GPT, "100");

        assertEquals(List.of("CALL ok stream 'A clearer version.' 200 10"), result.calls(), result::toString);
        JsonNode line = onlyLedgerLine();
        assertTrue(line.path("stream").asBoolean(), line::toString);
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(200, line.path("actual").path("inputTokens").asLong());
        assertEquals(10, line.path("actual").path("outputTokens").asLong());
        assertEquals(ceilDiv(200 * MINI_IN + 10 * MINI_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
    }

    @Test
    void aStreamThatDoesNotFitIsRefusedBeforeAnythingIsSent() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.0001");

        ChildJvm.Result result = onOpenAi(config).run(LangChain4jHost.class, "openai-stream", GPT, "1000");

        assertEquals(1, result.callsWith("refused").size(), result::toString);
        assertTrue(result.calls().get(0).startsWith("CALL refused dev.llmbudget.BudgetExceededException "), result::toString);
        assertEquals(0, openAi.requestCount());
    }

    @Test
    void anAnthropicChatIsSettledWithItsCacheReadsAndWritesAddedToTheInput() throws Exception {
        anthropic.reportUsage(new FakeAnthropic.ReportedUsage(1_000, 200, 300, 50));
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=5.00", "budget.daily.window=day");

        ChildJvm.Result result = onAnthropic(config).run(LangChain4jHost.class, "anthropic-chat", CLAUDE, "1000");

        assertEquals(List.of("CALL ok 1000 50"), result.calls(), result::toString);
        assertEquals(1, anthropic.requestCount());
        JsonNode line = onlyLedgerLine();
        assertEquals("anthropic", line.path("provider").asText());
        assertEquals(CLAUDE, line.path("model").asText());
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(1_500, line.path("actual").path("inputTokens").asLong(), "LangChain4j's input count excludes the cache");
        assertEquals(300, line.path("actual").path("cachedInputTokens").asLong());
        assertEquals(200, line.path("actual").path("cacheWriteTokens").asLong());
        assertEquals(50, line.path("actual").path("outputTokens").asLong());
        assertEquals(ceilDiv(1_000 * SONNET_IN + 300 * SONNET_READ + 200 * SONNET_WRITE + 50 * SONNET_OUT, 1_000_000),
                line.path("settledMicroUsd").asLong());
        assertTrue(line.path("apiKey").asText().startsWith("sk-…0001#"), line::toString);
    }

    @Test
    void anAnthropicStreamIsSettledAtItsFinalUsage() throws Exception {
        anthropic.reportUsage(new FakeAnthropic.ReportedUsage(400, 0, 0, 77));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = onAnthropic(config).run(LangChain4jHost.class, "anthropic-stream", CLAUDE, "500");

        assertEquals(List.of("CALL ok stream 'A clearer version.' 400 77"), result.calls(), result::toString);
        JsonNode line = onlyLedgerLine();
        assertTrue(line.path("stream").asBoolean(), line::toString);
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(ceilDiv(400 * SONNET_IN + 77 * SONNET_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
    }

    @Test
    void anAnthropicCallThatDoesNotFitIsRefusedAndNeverSentBlockingOrStreamed() throws Exception {
        // 1,000 output tokens at $15 per million are $0.015 alone
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.01");

        ChildJvm.Result chat = onAnthropic(config).systemProperty("it.maxRetries", "2")
                .run(LangChain4jHost.class, "anthropic-chat", CLAUDE, "1000");
        ChildJvm.Result stream = onAnthropic(config).run(LangChain4jHost.class, "anthropic-stream", CLAUDE, "1000");

        for (ChildJvm.Result result : List.of(chat, stream)) {
            assertEquals(1, result.callsWith("refused").size(), result::toString);
            assertTrue(result.calls().get(0).startsWith("CALL refused dev.llmbudget.BudgetExceededException "), result::toString);
        }
        assertEquals(0, anthropic.requestCount(), "the fake provider must receive nothing for a refused call");
    }

    @Test
    void aProviderErrorReleasesTheReservation() throws Exception {
        openAi.failNext(1, 500);
        anthropic.failNext(1);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result openAiChat = onOpenAi(config).systemProperty("it.maxRetries", "0")
                .run(LangChain4jHost.class, "openai-chat", GPT, "100");
        ChildJvm.Result anthropicChat = onAnthropic(config).systemProperty("it.maxRetries", "0")
                .run(LangChain4jHost.class, "anthropic-chat", CLAUDE, "100");

        assertEquals(1, openAiChat.callsWith("error").size(), openAiChat::toString);
        assertEquals(1, anthropicChat.callsWith("error").size(), anthropicChat::toString);
        assertEquals(1, openAi.requestCount(), "maxRetries=0: one attempt");
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, Ledger.withOutcome(ledger, "released").size(), ledger::toString);
        assertEquals(List.of("http 500", "http 500"), ledger.stream().map(line -> line.path("detail").asText()).toList());
        assertEquals(0, Ledger.sum(ledger, "settledMicroUsd"));
    }

    @Test
    void aStreamThatFailsBeforeAnyOutputIsReleased() throws Exception {
        openAi.failNext(1, 500);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = onOpenAi(config).run(LangChain4jHost.class, "openai-stream", GPT, "100");

        assertEquals(1, result.callsWith("error").size(), result::toString);
        JsonNode line = onlyLedgerLine();
        assertEquals("released", line.path("outcome").asText(), line::toString);
        assertEquals("http 500", line.path("detail").asText());
    }

    @Test
    void theOutputCeilingRewritesTheFieldTheApplicationSetBeforeLangChain4jSendsIt() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", "limits.max-output-tokens=100");

        ChildJvm.Result completion = onOpenAi(config).run(LangChain4jHost.class, "openai-chat", GPT, "5000");
        ChildJvm.Result maxTokens = onOpenAi(config).systemProperty("it.maxField", "tokens")
                .run(LangChain4jHost.class, "openai-chat", GPT, "5000");
        ChildJvm.Result stream = onOpenAi(config).run(LangChain4jHost.class, "openai-stream", GPT, "5000");
        ChildJvm.Result claude = onAnthropic(config).run(LangChain4jHost.class, "anthropic-chat", CLAUDE, "5000");

        for (ChildJvm.Result result : List.of(completion, maxTokens, stream, claude)) {
            assertEquals(1, result.callsWith("ok").size(), result::toString);
        }
        List<JsonNode> sent = openAi.requestBodies().stream().map(LangChain4jGuardIT::parse).toList();
        assertEquals(100, sent.get(0).path("max_completion_tokens").asLong(), sent.get(0)::toString);
        assertFalse(sent.get(0).has("max_tokens"), sent.get(0)::toString);
        assertEquals(100, sent.get(1).path("max_tokens").asLong(), sent.get(1)::toString);
        assertFalse(sent.get(1).has("max_completion_tokens"), sent.get(1)::toString);
        assertEquals(100, sent.get(2).path("max_completion_tokens").asLong(), sent.get(2)::toString);
        assertEquals(100, parse(anthropic.requestBodies().get(0)).path("max_tokens").asLong(), anthropic.requestBodies()::toString);
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(4, ledger.size(), ledger::toString);
        for (JsonNode line : ledger) {
            assertEquals(100, line.path("estimated").path("outputTokens").asLong(), line::toString);
            assertTrue(line.path("detail").asText().startsWith("max output tokens rewritten to 100 (limits.max-output-tokens; asked 5000)"),
                    line::toString);
        }
    }

    @Test
    void aCallThroughLangChain4jAndTheJdkHttpClientUnderItIsCountedOnceWithItsAttempts() throws Exception {
        openAi.failNext(1, 500);
        // the fake is a known LLM host here, so the JDK HttpClient layer under LangChain4j would guard it too
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", "providers.hosts=127.0.0.1");

        ChildJvm.Result chat = onOpenAi(config).systemProperty("it.maxRetries", "2").run(LangChain4jHost.class, "openai-chat", GPT, "100");
        ChildJvm.Result stream = onOpenAi(config).run(LangChain4jHost.class, "openai-stream", GPT, "100");

        assertEquals(List.of("CALL ok 15 40"), chat.calls(), chat::toString);
        assertEquals(1, stream.callsWith("ok").size(), stream::toString);
        assertEquals(3, openAi.requestCount(), "a failed attempt and its retry, then the stream");
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), "one line per logical call, none from the HTTP layer: " + ledger);
        ledger.forEach(line -> assertEquals("langchain4j.chat", line.path("endpoint").asText(), line::toString));
        assertEquals(2, ledger.get(0).path("httpAttempts").asInt(), "the JDK layer reported both attempts: " + ledger.get(0));
        assertEquals(1, ledger.get(1).path("httpAttempts").asInt(), ledger.get(1)::toString);
        ledger.forEach(line -> assertEquals("settled", line.path("outcome").asText(), line::toString));
    }

    @Test
    void switchedOffLangChain4jIsLeftUntouchedAndSaysSo() throws Exception {
        // a budget no call fits: only an unguarded call reaches the fake (a loopback host, not one of providers.hosts)
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.000001", "instrumentation.langchain4j.enabled=false");

        ChildJvm.Result result = onOpenAi(config).run(LangChain4jHost.class, "openai-chat", GPT, "100");

        assertEquals(List.of("CALL ok 15 40"), result.calls(), result::toString);
        assertEquals(1, openAi.requestCount());
        assertTrue(result.stderr().contains("instrumentation.langchain4j.enabled=false: calls through langchain4j are NOT guarded"),
                result::toString);
    }

    @Test
    void onTheNewerJdkAChatIsSettledAndOneThatDoesNotFitIsNeverSent() throws Exception {
        String extra = System.getProperty("it.extraJavaHome", "");
        Path javaHome = extra.isBlank() ? null : Path.of(extra);
        assumeTrue(javaHome != null && Files.isExecutable(javaHome.resolve("bin").resolve("java")),
                "no second JDK at it.extraJavaHome=" + extra);
        // room for one worst case of about $0.000603 (a short prompt + 1000 output tokens of gpt-4o-mini), not two
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=0.000620");

        ChildJvm.Result result = ChildJvm.on(javaHome).withAgent(config).systemProperty("it.baseUrl", openAi.baseUrl())
                .run(LangChain4jHost.class, "openai-chat", GPT, "1000", "2");

        assertEquals(List.of("CALL ok 15 40"), result.callsWith("ok"), result::toString);
        assertEquals(1, result.callsWith("refused").size(), result::toString);
        assertEquals(1, openAi.requestCount());
        assertTrue(result.stderr().lines().noneMatch(line -> line.startsWith("WARNING")),
                "no JVM warnings on the host's stderr:\n" + result.stderr());
    }

    private ChildJvm onOpenAi(Path config) {
        return ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", openAi.baseUrl());
    }

    private ChildJvm onAnthropic(Path config) {
        return ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", anthropic.baseUrl());
    }

    private JsonNode onlyLedgerLine() throws Exception {
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(1, ledger.size(), ledger::toString);
        return ledger.get(0);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
