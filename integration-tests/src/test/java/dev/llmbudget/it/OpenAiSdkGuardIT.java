package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real OpenAI Java SDK in a child JVM with the real shaded agent, against the fake provider. */
class OpenAiSdkGuardIT {
    /** gpt-4o-mini list prices in micro-USD per million tokens: $0.15 in, $0.075 cached in, $0.60 out. */
    private static final long MINI_IN = 150_000;
    private static final long MINI_CACHED = 75_000;
    private static final long MINI_OUT = 600_000;

    @TempDir
    Path dir;
    private FakeOpenAi fake;

    @BeforeEach
    void startFake() throws Exception {
        fake = FakeOpenAi.start();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    @Test
    void aCallThatFitsGoesThroughAndIsSettledAtExactlyTheReportedUsage() throws Exception {
        fake.reportUsage(new FakeOpenAi.ReportedUsage(1_234, 200, 56, 10));
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=5.00", "budget.daily.window=day");

        ChildJvm.Result result = host(config).run(OpenAiHost.class, "chat", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok 1234 56"), result.calls(), result::toString);
        assertEquals(1, fake.requestCount());
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(1, ledger.size(), ledger::toString);
        JsonNode line = ledger.get(0);
        assertEquals("allow", line.path("decision").asText());
        assertEquals("settled", line.path("outcome").asText());
        assertEquals("gpt-4o-mini", line.path("model").asText());
        assertEquals("chat.completions", line.path("endpoint").asText());
        assertEquals(1_234, line.path("actual").path("inputTokens").asLong());
        assertEquals(200, line.path("actual").path("cachedInputTokens").asLong());
        assertEquals(56, line.path("actual").path("outputTokens").asLong());
        assertEquals(10, line.path("actual").path("reasoningTokens").asLong());
        assertEquals(100, line.path("estimated").path("outputTokens").asLong());
        long expectedPico = (1_234 - 200) * MINI_IN + 200 * MINI_CACHED + 56 * MINI_OUT;
        assertEquals(ceilDiv(expectedPico, 1_000_000), line.path("settledMicroUsd").asLong());
        assertEquals(List.of("daily"), List.of(line.path("budgets").get(0).asText()));
        assertTrue(line.path("apiKey").asText().startsWith("sk-…0001#"), "key only as fingerprint: " + line);
        assertTrue(!Ledger.read(AgentConfigFile.ledger(dir)).toString().contains("sk-test-host-key"), "no API key in the ledger");
        assertTrue(!line.toString().contains("churn"), "no prompt text in the ledger");
    }

    @Test
    void aCallThatDoesNotFitIsRefusedBeforeAnyByteIsSent() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.0001");

        ChildJvm.Result result = host(config).run(OpenAiHost.class, "chat", "gpt-4o-mini", "1000");

        List<String> refused = result.callsWith("refused");
        assertEquals(1, refused.size(), result::toString);
        assertTrue(refused.get(0).startsWith("CALL refused dev.llmbudget.BudgetExceededException "), refused.get(0));
        assertTrue(refused.get(0).contains("budget.tiny.limit-usd"), "names the key to raise: " + refused.get(0));
        assertTrue(refused.get(0).contains("limit $0.0001"), refused.get(0));
        assertEquals(0, fake.requestCount(), "the fake provider must receive nothing for a refused call");
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(1, ledger.size());
        assertEquals("refuse", ledger.get(0).path("decision").asText());
        assertEquals("budget.tiny.limit-usd", ledger.get(0).path("rule").asText());
        assertEquals(0, ledger.get(0).path("settledMicroUsd").asLong());
    }

    private ChildJvm host(Path config) {
        return ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl());
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
