package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbudget.it.apps.GeminiHttpHost;
import dev.llmbudget.it.fake.FakeGemini;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Google Gemini REST API called by hand with the JDK's {@code java.net.http.HttpClient}, in a child
 * JVM with the real shaded agent, against a local fake speaking Gemini's wire format
 * ({@code providers.hosts=127.0.0.1} makes it a known LLM host): generateContent, streamGenerateContent
 * as SSE ({@code alt=sse}) and as a streamed JSON array.
 */
class GeminiHttpIT {
    private static final String KNOWN_HOST = "providers.hosts=127.0.0.1";
    private static final String MODEL = "gemini-2.5-flash";

    /** gemini-2.5-flash list prices in micro-USD per million tokens (builtin-prices.json): $0.30 in, $0.075 cached in, $2.50 out. */
    private static final long FLASH_IN = 300_000;
    private static final long FLASH_CACHED = 75_000;
    private static final long FLASH_OUT = 2_500_000;

    /**
     * The agent's estimate of GeminiHttpHost's prompt (round 0): Gemini's tokenizer is not carried, so
     * the UTF-8 bytes of the user turn and the system instruction bound it, plus 3 per message (two)
     * and 3 for the reply.
     */
    private static final long ESTIMATED_INPUT = utf8("Analyzer, round 0: the dataset shows a 12% rise in churn.")
            + utf8("You are the Verifier. Ask for a clearer version.") + 2 * 3 + 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeGemini gemini = new FakeGemini();

    // ---- generateContent ----

    @Test
    void aGenerateContentCallThatFitsIsSettledAtExactlyTheReportedUsage() throws Exception {
        gemini.reportUsage(new FakeGemini.ReportedUsage(1_234, 200, 56, 10));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "generate", MODEL, "100");

        assertEquals(List.of("CALL ok 1234 56"), result.calls(), result::toString);
        assertEquals("TEXT A clearer version. chunks=1", result.line("TEXT "), "the application reads the answer as sent");
        assertEquals(1, gemini.requestCount());
        assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", gemini.requestUris().get(0));
        assertEquals(List.of(GeminiHttpHost.API_KEY), gemini.apiKeyHeaders(), "the key still reaches the provider");
        assertTrue(gemini.requestBodies().get(0).contains("\"maxOutputTokens\" : 100"),
                "without an output ceiling the body goes as written: " + gemini.requestBodies());

        JsonNode line = onlyLedgerLine();
        assertEquals("allow", line.path("decision").asText(), line::toString);
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals("gemini", line.path("provider").asText());
        assertEquals("generateContent", line.path("endpoint").asText());
        assertEquals(MODEL, line.path("model").asText(), "the model comes from the URL path");
        assertFalse(line.path("stream").asBoolean(), line::toString);
        assertEquals(ESTIMATED_INPUT, line.path("estimated").path("inputTokens").asLong(),
                "the user turn and the system instruction are both counted: " + line);
        assertEquals(100, line.path("estimated").path("outputTokens").asLong());
        assertEquals(ceilDiv(ESTIMATED_INPUT * FLASH_IN + 100 * FLASH_OUT, 1_000_000), line.path("reservedMicroUsd").asLong());
        assertEquals(1_234, line.path("actual").path("inputTokens").asLong(), "promptTokenCount already holds the cached tokens");
        assertEquals(200, line.path("actual").path("cachedInputTokens").asLong());
        assertEquals(56 + 10, line.path("actual").path("outputTokens").asLong(), "thoughts are billed as output");
        assertEquals(10, line.path("actual").path("reasoningTokens").asLong());
        assertEquals(ceilDiv((1_234 - 200) * FLASH_IN + 200 * FLASH_CACHED + 66 * FLASH_OUT, 1_000_000),
                line.path("settledMicroUsd").asLong());
        assertEquals(List.of("run"), List.of(line.path("budgets").get(0).asText()));
        assertEquals(fingerprint(GeminiHttpHost.API_KEY), line.path("apiKey").asText(), "the key only as its fingerprint");
        assertTrue(line.path("apiKey").asText().startsWith("AIza-…0001#"), line::toString);
        assertKeyNeverWrittenDown(result);
        assertFalse(line.toString().contains("churn"), "no prompt text in the ledger");
        assertAgentQuiet(result);
    }

    @Test
    void sendAsyncIsGuardedAndSettledToo() throws Exception {
        gemini.reportUsage(new FakeGemini.ReportedUsage(900, 0, 40, 0));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "generate-async", MODEL, "100", "2");

        assertEquals(List.of("CALL ok 900 40", "CALL ok 900 40"), result.calls(), result::toString);
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), ledger::toString);
        for (JsonNode line : ledger) {
            assertEquals("settled", line.path("outcome").asText(), line::toString);
            assertEquals(900, line.path("actual").path("inputTokens").asLong(), line::toString);
            assertEquals(40, line.path("actual").path("outputTokens").asLong(), line::toString);
            assertEquals(ceilDiv(900 * FLASH_IN + 40 * FLASH_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
        }
    }

    @Test
    void aCallThatDoesNotFitIsRefusedBeforeSendingSyncAndAsync() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.000001", KNOWN_HOST);

        ChildJvm.Result sync = host(config).run(GeminiHttpHost.class, "generate", MODEL, "100");
        ChildJvm.Result async = host(config).run(GeminiHttpHost.class, "generate-async", MODEL, "100");

        for (ChildJvm.Result result : List.of(sync, async)) {
            List<String> refused = result.callsWith("refused");
            assertEquals(1, refused.size(), result::toString);
            assertTrue(refused.get(0).startsWith("CALL refused dev.llmbudget.BudgetExceededException "), refused.get(0));
            assertTrue(refused.get(0).contains("budget.tiny.limit-usd"), "names the key to raise: " + refused.get(0));
        }
        assertEquals(0, gemini.requestCount(), "nothing left the JVM");
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), ledger::toString);
        for (JsonNode line : ledger) {
            assertEquals("refused", line.path("outcome").asText(), line::toString);
            assertEquals("refuse", line.path("decision").asText(), line::toString);
            assertEquals("gemini", line.path("provider").asText(), line::toString);
            assertEquals("budget.tiny.limit-usd", line.path("rule").asText(), line::toString);
            assertEquals(0, line.path("settledMicroUsd").asLong());
        }
    }

    // ---- streams ----

    @Test
    void anSseStreamIsSettledFromItsFinalUsageMetadata() throws Exception {
        gemini.reportUsage(new FakeGemini.ReportedUsage(900, 0, 40, 120));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "stream-sse", MODEL, "500");

        assertEquals(List.of("CALL ok 900 40"), result.calls(), result::toString);
        assertEquals("TEXT A clearer version. chunks=3", result.line("TEXT "), "the application reads the stream as sent");
        assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", gemini.requestUris().get(0));
        JsonNode line = onlyLedgerLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals("streamGenerateContent", line.path("endpoint").asText());
        assertTrue(line.path("stream").asBoolean(), line::toString);
        assertNull(line.path("detail").textValue(), "settled at the reported usage, nothing estimated: " + line);
        assertEquals(900, line.path("actual").path("inputTokens").asLong());
        assertEquals(40 + 120, line.path("actual").path("outputTokens").asLong(), "the final counts, thoughts included");
        assertEquals(120, line.path("actual").path("reasoningTokens").asLong());
        assertEquals(ceilDiv(900 * FLASH_IN + 160 * FLASH_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
        assertAgentQuiet(result);
    }

    @Test
    void aJsonArrayStreamIsSettledFromItsFinalUsageMetadata() throws Exception {
        gemini.reportUsage(new FakeGemini.ReportedUsage(800, 300, 25, 0));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "stream-array", MODEL, "500");

        assertEquals(List.of("CALL ok 800 25"), result.calls(), result::toString);
        assertEquals("TEXT A clearer version. chunks=3", result.line("TEXT "), "the application reads the array as sent");
        assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent", gemini.requestUris().get(0));
        JsonNode line = onlyLedgerLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals("streamGenerateContent", line.path("endpoint").asText());
        assertTrue(line.path("stream").asBoolean(), line::toString);
        assertEquals(800, line.path("actual").path("inputTokens").asLong());
        assertEquals(300, line.path("actual").path("cachedInputTokens").asLong());
        assertEquals(25, line.path("actual").path("outputTokens").asLong());
        assertEquals(ceilDiv(500 * FLASH_IN + 300 * FLASH_CACHED + 25 * FLASH_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
        assertAgentQuiet(result);
    }

    @Test
    void aCutSseStreamIsSettledAtTheRunningTotalsItCarried() throws Exception {
        FakeGemini.ReportedUsage usage = new FakeGemini.ReportedUsage(900, 0, 30, 120);
        gemini.reportUsage(usage);
        gemini.cutStreams(true);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "stream-sse", MODEL, "500");

        long candidatesSoFar = FakeGemini.candidatesAfter(usage, 1);
        assertEquals(List.of("CALL ok 900 " + candidatesSoFar), result.calls(), result::toString);
        assertEquals("TEXT A clearer version chunks=2", result.line("TEXT "), result::toString);
        assertCutStreamSettledAtUsageSoFar(900, candidatesSoFar + 120);
    }

    @Test
    void aCutJsonArrayStreamIsSettledAtTheRunningTotalsItCarried() throws Exception {
        FakeGemini.ReportedUsage usage = new FakeGemini.ReportedUsage(900, 0, 30, 120);
        gemini.reportUsage(usage);
        gemini.cutStreams(true);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "stream-array", MODEL, "500");

        long candidatesSoFar = FakeGemini.candidatesAfter(usage, 1);
        assertEquals(List.of("CALL ok 900 " + candidatesSoFar), result.calls(), result::toString);
        assertEquals("TEXT A clearer version chunks=2 cut", result.line("TEXT "), "no closing bracket: " + result);
        assertCutStreamSettledAtUsageSoFar(900, candidatesSoFar + 120);
    }

    @Test
    void aStreamWhoseConnectionDropsIsSettledAtTheRunningTotalsItCarried() throws Exception {
        FakeGemini.ReportedUsage usage = new FakeGemini.ReportedUsage(900, 0, 30, 120);
        gemini.reportUsage(usage);
        gemini.dropStreams(true);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result array = host(config).run(GeminiHttpHost.class, "stream-array", MODEL, "500");
        ChildJvm.Result sse = host(config).run(GeminiHttpHost.class, "stream-sse", MODEL, "500");

        assertEquals(1, array.callsWith("error").size(), "the application sees its body fail: " + array);
        assertEquals(1, sse.callsWith("error").size(), "the application sees its body fail: " + sse);
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), ledger::toString);
        for (JsonNode line : ledger) {
            assertSettledAtUsageSoFar(line, 900, FakeGemini.candidatesAfter(usage, 1) + 120);
        }
    }

    @Test
    void aCutSseStreamWhoseChunksCountOnlyThePromptIsChargedForTheOutputItCarried() throws Exception {
        gemini.reportUsage(new FakeGemini.ReportedUsage(900, 0, 30, 0));
        gemini.interimUsage(FakeGemini.InterimUsage.PROMPT_ONLY);
        gemini.cutStreams(true);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "stream-sse", MODEL, "500");

        assertEquals(List.of("CALL ok 900 0"), result.calls(), result::toString);
        assertCutStreamChargedForItsText();
    }

    @Test
    void aCutJsonArrayStreamWithoutInterimUsageIsChargedForTheOutputItCarried() throws Exception {
        gemini.reportUsage(new FakeGemini.ReportedUsage(900, 0, 30, 0));
        gemini.interimUsage(FakeGemini.InterimUsage.NONE);
        gemini.cutStreams(true);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "stream-array", MODEL, "500");

        assertEquals(List.of("CALL ok 0 0"), result.calls(), result::toString);
        assertCutStreamChargedForItsText();
    }

    @Test
    @Disabled("agent bug: GeminiStreamUsage takes a chunk reporting thoughtsTokenCount without candidatesTokenCount as a"
            + " usage report (output = thoughts only), so UsageSettlement settles on it and ignores the text the stream"
            + " carried: settled outputTokens 120 (the thoughts), expected at least 120 + 17 (the thoughts and"
            + " \"A clearer version\", byte-bound)")
    void aCutThinkingStreamIsChargedForItsThoughtsAndForTheTextItCarried() throws Exception {
        // chunks that count the prompt and the thoughts, but not yet the candidates: cut before the last one
        gemini.reportUsage(new FakeGemini.ReportedUsage(900, 0, 30, 120));
        gemini.interimUsage(FakeGemini.InterimUsage.PROMPT_ONLY);
        gemini.cutStreams(true);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "stream-sse", MODEL, "500");

        assertEquals(List.of("CALL ok 900 0"), result.calls(), result::toString);
        JsonNode line = onlyLedgerLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        long textCarried = utf8("A clearer version"); // bounded by its bytes, as any output of a model without a tokenizer
        assertTrue(line.path("actual").path("outputTokens").asLong() >= 120 + textCarried,
                "the 120 thoughts reported and the text streamed, not the thoughts alone: " + line);
        assertTrue(line.path("settledMicroUsd").asLong() < line.path("reservedMicroUsd").asLong(), line::toString);
    }

    // ---- errors ----

    @Test
    void aProviderErrorReleasesTheReservation() throws Exception {
        gemini.failNext(1, 500);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "generate", MODEL, "100");

        assertEquals(List.of("CALL error java.io.IOException HTTP 500: INTERNAL"), result.calls(), result::toString);
        assertEquals(1, gemini.requestCount());
        JsonNode line = onlyLedgerLine();
        assertEquals("released", line.path("outcome").asText(), line::toString);
        assertEquals("http 500", line.path("detail").asText());
        assertEquals(0, line.path("settledMicroUsd").asLong());
    }

    @Test
    void aStreamRefusedByTheProviderReleasesTheReservation() throws Exception {
        gemini.failNext(1, 429);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "stream-sse", MODEL, "100");

        assertEquals(List.of("CALL error java.io.IOException HTTP 429: RESOURCE_EXHAUSTED"), result.calls(), result::toString);
        JsonNode line = onlyLedgerLine();
        assertEquals("released", line.path("outcome").asText(), line::toString);
        assertEquals("http 429", line.path("detail").asText());
        assertEquals(0, line.path("settledMicroUsd").asLong());
    }

    // ---- the API key ----

    @Test
    void aKeyInTheQueryIsRecordedAsItsFingerprintAndNeverItself() throws Exception {
        gemini.reportUsage(new FakeGemini.ReportedUsage(300, 0, 20, 0));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST, "log.level=debug");

        ChildJvm.Result generate = host(config).run(GeminiHttpHost.class, "generate-key-in-query", MODEL, "100");
        ChildJvm.Result stream = host(config).run(GeminiHttpHost.class, "stream-sse-key-in-query", MODEL, "100");

        assertEquals(List.of("CALL ok 300 20"), generate.calls(), generate::toString);
        assertEquals(List.of("CALL ok 300 20"), stream.calls(), stream::toString);
        assertEquals(List.of("/v1beta/models/gemini-2.5-flash:generateContent?key=" + GeminiHttpHost.API_KEY,
                "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=" + GeminiHttpHost.API_KEY),
                gemini.requestUris(), "the URL reaches the provider as written");
        assertEquals(List.of("", ""), gemini.apiKeyHeaders());
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), ledger::toString);
        for (JsonNode line : ledger) {
            assertEquals("settled", line.path("outcome").asText(), line::toString);
            assertEquals(fingerprint(GeminiHttpHost.API_KEY), line.path("apiKey").asText(), line::toString);
        }
        assertEquals("streamGenerateContent", ledger.get(1).path("endpoint").asText(), "alt=sse read next to key=");
        assertEquals(20, ledger.get(1).path("actual").path("outputTokens").asLong(), ledger.get(1)::toString);
        assertKeyNeverWrittenDown(generate);
        assertKeyNeverWrittenDown(stream);
    }

    @Test
    void aRefusedCallNamesNoKeyEitherForm() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.000001", KNOWN_HOST, "log.level=debug");

        ChildJvm.Result header = host(config).run(GeminiHttpHost.class, "generate", MODEL, "100");
        ChildJvm.Result query = host(config).run(GeminiHttpHost.class, "stream-array-key-in-query", MODEL, "100");

        assertEquals(1, header.callsWith("refused").size(), header::toString);
        assertEquals(1, query.callsWith("refused").size(), query::toString);
        assertEquals(0, gemini.requestCount());
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), ledger::toString);
        ledger.forEach(line -> assertEquals(fingerprint(GeminiHttpHost.API_KEY), line.path("apiKey").asText(), line::toString));
        for (ChildJvm.Result result : List.of(header, query)) {
            assertKeyNeverWrittenDown(result);
            assertFalse(result.stdout().contains(GeminiHttpHost.API_KEY), "not in the refusal either: " + result);
        }
    }

    // ---- the output ceiling ----

    @Test
    void theOutputCeilingRewritesGenerationConfigMaxOutputTokens() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST, "limits.max-output-tokens=64");

        ChildJvm.Result over = host(config).run(GeminiHttpHost.class, "generate", MODEL, "4000");
        ChildJvm.Result unset = host(config).run(GeminiHttpHost.class, "stream-sse", MODEL, "0");

        assertEquals(1, over.callsWith("ok").size(), over::toString);
        assertEquals(1, unset.callsWith("ok").size(), unset::toString);
        assertEquals(2, gemini.requestCount());
        for (String body : gemini.requestBodies()) {
            JsonNode sent = JSON.readTree(body);
            assertEquals(64, sent.path("generationConfig").path("maxOutputTokens").asLong(), sent::toString);
            assertEquals(0.2, sent.path("generationConfig").path("temperature").asDouble(), "the rest is kept: " + sent);
            assertEquals("You are the Verifier. Ask for a clearer version.",
                    sent.path("systemInstruction").path("parts").path(0).path("text").asText(), sent::toString);
            assertTrue(sent.path("contents").path(0).path("parts").path(0).path("text").asText().contains("churn"), sent::toString);
            assertFalse(sent.path("generationConfig").has("max_output_tokens"), "one spelling of the field: " + sent);
        }
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), ledger::toString);
        for (JsonNode line : ledger) {
            assertEquals("settled", line.path("outcome").asText(), line::toString);
            assertEquals(64, line.path("estimated").path("outputTokens").asLong(), line::toString);
            assertTrue(line.path("detail").asText().contains("max output tokens rewritten to 64"), line::toString);
        }
    }

    @Test
    void callsToHostsThatAreNotKnownPassUntouched() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.000001");

        ChildJvm.Result result = host(config).run(GeminiHttpHost.class, "generate", MODEL, "100");

        assertEquals(1, result.callsWith("ok").size(), result::toString);
        Path ledger = AgentConfigFile.ledger(dir);
        assertTrue(!Files.exists(ledger) || Ledger.read(ledger).isEmpty(), "127.0.0.1 is no LLM host unless configured");
    }

    // ---- helpers ----

    private void assertCutStreamSettledAtUsageSoFar(long input, long output) throws Exception {
        assertSettledAtUsageSoFar(onlyLedgerLine(), input, output);
    }

    private static void assertSettledAtUsageSoFar(JsonNode line, long input, long output) {
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(input, line.path("actual").path("inputTokens").asLong(), line::toString);
        assertEquals(output, line.path("actual").path("outputTokens").asLong(),
                "the running totals of the last chunk that arrived: " + line);
        long settled = line.path("settledMicroUsd").asLong();
        assertEquals(ceilDiv(input * FLASH_IN + output * FLASH_OUT, 1_000_000), settled, line::toString);
        assertTrue(settled > 0 && settled < line.path("reservedMicroUsd").asLong(), "never 0, never the reservation: " + line);
    }

    /** Settled from the text the stream carried before it was cut ("A clearer version"), bounded by its bytes. */
    private void assertCutStreamChargedForItsText() throws Exception {
        JsonNode line = onlyLedgerLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertTrue(line.path("detail").asText().startsWith("estimated from the output streamed so far"), line::toString);
        long output = utf8("A clearer version");
        assertEquals(output, line.path("actual").path("outputTokens").asLong(), line::toString);
        assertEquals(ESTIMATED_INPUT, line.path("actual").path("inputTokens").asLong(), "the input as estimated: " + line);
        long settled = line.path("settledMicroUsd").asLong();
        assertEquals(ceilDiv(ESTIMATED_INPUT * FLASH_IN + output * FLASH_OUT, 1_000_000), settled, line::toString);
        assertTrue(settled > 0 && settled < line.path("reservedMicroUsd").asLong(), "never 0, never the reservation: " + line);
    }

    private void assertKeyNeverWrittenDown(ChildJvm.Result result) throws Exception {
        Path ledger = AgentConfigFile.ledger(dir);
        if (Files.exists(ledger)) {
            assertFalse(Files.readString(ledger).contains(GeminiHttpHost.API_KEY), "no API key in the ledger");
        }
        assertFalse(result.stderr().contains(GeminiHttpHost.API_KEY), "no API key in the agent's log: " + result);
    }

    /** The agent guarded the call as it should: nothing it had to warn about, no internal error. */
    private static void assertAgentQuiet(ChildJvm.Result result) {
        assertTrue(result.stderr().lines().noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR ")), result::toString);
    }

    private JsonNode onlyLedgerLine() throws Exception {
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(1, ledger.size(), ledger::toString);
        return ledger.get(0);
    }

    private ChildJvm host(Path config) {
        return ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", gemini.baseUrl());
    }

    /** KeyFingerprint's form: prefix up to the first dash, "…", the last four characters, "#", two bytes of SHA-256 in hex. */
    private static String fingerprint(String key) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return key.substring(0, key.indexOf('-') + 1) + "…" + key.substring(key.length() - 4) + "#"
                + String.format("%02x%02x", digest[0], digest[1]);
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
