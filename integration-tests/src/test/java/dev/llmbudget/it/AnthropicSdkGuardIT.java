package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.AnthropicHost;
import dev.llmbudget.it.fake.FakeAnthropic;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real Anthropic Java SDK in a child JVM with the real shaded agent, against a fake Messages API. */
class AnthropicSdkGuardIT {
    private static final String MODEL = "claude-sonnet-4-20250514";

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeAnthropic fake = new FakeAnthropic();

    @Test
    void aMessageThatFitsIsSettledAtItsUsageWithCacheReadsAndWritesPricedApart() throws Exception {
        fake.reportUsage(new FakeAnthropic.ReportedUsage(1_000, 200, 300, 50));
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=5.00", "budget.daily.window=day");

        ChildJvm.Result result = host(config).run(AnthropicHost.class, "messages", MODEL, "1000");

        assertEquals(List.of("CALL ok 1000 50"), result.calls(), result::toString);
        assertEquals(1, fake.requestCount());
        JsonNode line = Ledger.read(AgentConfigFile.ledger(dir)).get(0);
        assertEquals("anthropic", line.path("provider").asText());
        assertEquals("messages", line.path("endpoint").asText());
        assertEquals(MODEL, line.path("model").asText());
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(1_500, line.path("actual").path("inputTokens").asLong(), "input includes cache reads and writes");
        assertEquals(300, line.path("actual").path("cachedInputTokens").asLong());
        assertEquals(200, line.path("actual").path("cacheWriteTokens").asLong());
        assertEquals(50, line.path("actual").path("outputTokens").asLong());
        // claude-sonnet-4: $3 in, $0.30 cache read, $3.75 cache write, $15 out, per million tokens
        assertEquals((1_000 * 3_000_000L + 300 * 300_000L + 200 * 3_750_000L + 50 * 15_000_000L) / 1_000_000,
                line.path("settledMicroUsd").asLong());
        // the SDK adds x-api-key below the hook (HeaderAuthHttpClient): the agent finds the key there, fingerprints it
        assertTrue(line.path("apiKey").asText().startsWith("sk-…0001#"), line::toString);
        assertTrue(!line.toString().contains("sk-ant-test-key"), "never the key itself: " + line);
    }

    @Test
    void aMessageThatDoesNotFitIsRefusedAndNeverSentSyncOrAsync() throws Exception {
        // 1,000 output tokens at $15 per million are $0.015 alone
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.01");

        ChildJvm.Result sync = host(config).run(AnthropicHost.class, "messages", MODEL, "1000");
        ChildJvm.Result async = host(config).run(AnthropicHost.class, "messages-async", MODEL, "1000");

        for (ChildJvm.Result result : List.of(sync, async)) {
            List<String> refused = result.callsWith("refused");
            assertEquals(1, refused.size(), result::toString);
            assertTrue(refused.get(0).startsWith("CALL refused dev.llmbudget.BudgetExceededException "), refused.get(0));
            assertTrue(refused.get(0).contains("budget.tiny.limit-usd"), refused.get(0));
        }
        assertEquals(0, fake.requestCount(), "the fake provider must receive nothing for a refused call");
    }

    @Test
    void aStreamIsSettledFromItsMessageStartAndMessageDeltaUsage() throws Exception {
        fake.reportUsage(new FakeAnthropic.ReportedUsage(400, 0, 0, 77));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = host(config).run(AnthropicHost.class, "stream", MODEL, "500");

        assertEquals(1, result.callsWith("ok").size(), result::toString);
        JsonNode line = Ledger.read(AgentConfigFile.ledger(dir)).get(0);
        assertEquals(true, line.path("stream").asBoolean(), line::toString);
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(400, line.path("actual").path("inputTokens").asLong());
        assertEquals(77, line.path("actual").path("outputTokens").asLong());
        assertEquals((400 * 3_000_000L + 77 * 15_000_000L) / 1_000_000, line.path("settledMicroUsd").asLong());
    }

    @Test
    void aStreamCutBeforeItsUsageIsChargedForTheOutputItCarriedNotOneTokenNorItsReservation() throws Exception {
        fake.cutStreams(true);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = host(config).run(AnthropicHost.class, "stream", MODEL, "500");

        assertEquals(1, result.calls().size(), result::toString);
        JsonNode line = Ledger.read(AgentConfigFile.ledger(dir)).get(0);
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertTrue(line.path("detail").asText().startsWith("estimated from the output streamed so far"), line::toString);
        // "A clearer version." was streamed before the cut: Claude's text is bounded by its 18 bytes
        // (no public Claude tokenizer), not 1 token and not the 500 reserved
        long output = line.path("actual").path("outputTokens").asLong();
        assertEquals("A clearer version.".length(), output, line::toString);
        long settled = line.path("settledMicroUsd").asLong();
        assertTrue(settled > 0 && settled < line.path("reservedMicroUsd").asLong(), line::toString);
    }

    @Test
    void aProviderErrorReleasesTheReservation() throws Exception {
        fake.failNext(10);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = host(config).systemProperty("it.maxRetries", "0").run(AnthropicHost.class, "messages", MODEL, "100");

        assertEquals(1, result.callsWith("error").size(), result::toString);
        JsonNode line = Ledger.read(AgentConfigFile.ledger(dir)).get(0);
        assertEquals("released", line.path("outcome").asText(), line::toString);
        assertEquals("http 500", line.path("detail").asText());
        assertEquals(0, line.path("settledMicroUsd").asLong());
    }

    private ChildJvm host(Path config) {
        return ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl());
    }
}
