package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real OpenAI Java SDK in a child JVM with the real shaded agent, against the fake provider. */
class OpenAiSdkGuardIT {
    /** gpt-4o-mini list prices in micro-USD per million tokens: $0.15 in, $0.075 cached in, $0.60 out. */
    private static final long MINI_IN = 150_000;
    private static final long MINI_CACHED = 75_000;
    private static final long MINI_OUT = 600_000;

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();

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

    @Test
    void asyncCallsAreGuardedAndAnAsyncRefusalFailsTheFutureWithoutSending() throws Exception {
        // gpt-4o-mini, 1000 output tokens allowed: worst case about 606 µUSD a call; usage 15 in / 40 out: 27 µUSD.
        // The first call fits; after it, 27 spent + 606 > 620, so the next ones do not.
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=0.000620");

        ChildJvm.Result result = host(config).run(OpenAiHost.class, "chat-async", "gpt-4o-mini", "1000", "3");

        assertEquals(1, result.callsWith("ok").size(), result::toString);
        assertEquals(2, result.callsWith("refused").size(), result::toString);
        assertTrue(result.callsWith("refused").get(0).startsWith("CALL refused dev.llmbudget.BudgetExceededException"));
        assertEquals(1, fake.requestCount(), "refused async calls must not reach the provider");
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(1, Ledger.withOutcome(ledger, "settled").size(), ledger::toString);
        assertEquals(2, Ledger.withOutcome(ledger, "refused").size(), ledger::toString);
        assertEquals(ceilDiv(15 * MINI_IN + 40 * MINI_OUT, 1_000_000),
                Ledger.withOutcome(ledger, "settled").get(0).path("settledMicroUsd").asLong());
    }

    @Test
    void theResponsesApiIsGuardedAndSettledFromItsOwnUsageFields() throws Exception {
        fake.reportUsage(new FakeOpenAi.ReportedUsage(321, 0, 54, 20));
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=1", "budget.daily.window=day");

        ChildJvm.Result result = host(config).run(OpenAiHost.class, "responses", "gpt-4o-mini", "200");

        assertEquals(List.of("CALL ok 321 54"), result.calls(), result::toString);
        JsonNode line = Ledger.read(AgentConfigFile.ledger(dir)).get(0);
        assertEquals("responses", line.path("endpoint").asText());
        assertEquals("settled", line.path("outcome").asText());
        assertEquals(200, line.path("estimated").path("outputTokens").asLong());
        assertEquals(321, line.path("actual").path("inputTokens").asLong());
        assertEquals(20, line.path("actual").path("reasoningTokens").asLong());
        assertEquals(ceilDiv(321 * MINI_IN + 54 * MINI_OUT, 1_000_000), line.path("settledMicroUsd").asLong());
    }

    @Test
    void withRawResponseIsGuardedLikeTheParsedCall() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=0.000620");

        ChildJvm.Result result = host(config).run(OpenAiHost.class, "chat-raw", "gpt-4o-mini", "1000", "2");

        assertEquals(List.of("CALL ok status=200 15 40"), result.callsWith("ok"), result::toString);
        assertEquals(1, result.callsWith("refused").size(), result::toString);
        assertEquals(1, fake.requestCount());
        assertEquals(1, Ledger.withOutcome(Ledger.read(AgentConfigFile.ledger(dir)), "settled").size());
    }

    @Test
    void theSdksOwnRetriesAreOneCallChargedOnce() throws Exception {
        fake.failNext(2, 500);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = host(config).run(OpenAiHost.class, "chat", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok 15 40"), result.calls(), result::toString);
        assertEquals(3, fake.requestCount(), "the SDK retried twice (its default) and then succeeded");
        // the agent hands the SDK the body it already wrote: every attempt sends it whole and unchanged
        assertEquals(1, java.util.Set.copyOf(fake.requestBodies()).size(), fake.requestBodies()::toString);
        JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fake.requestBodies().get(0));
        assertEquals("gpt-4o-mini", sent.path("model").asText());
        assertEquals(100, sent.path("max_completion_tokens").asLong(sent.path("max_tokens").asLong()));
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(1, ledger.size(), "one logical call, one ledger line: " + ledger);
        assertEquals(ceilDiv(15 * MINI_IN + 40 * MINI_OUT, 1_000_000), ledger.get(0).path("settledMicroUsd").asLong());
    }

    @Test
    void aFailedCallReleasesItsReservation() throws Exception {
        fake.failNext(10, 400);
        // room for exactly one reservation of ~606 µUSD: if the failed call kept its hold, the second would be refused
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=0.000620");

        ChildJvm.Result result = host(config).run(OpenAiHost.class, "chat", "gpt-4o-mini", "1000", "2");

        assertEquals(2, result.callsWith("error").size(), result::toString);
        assertTrue(result.callsWith("error").get(0).contains("com.openai.errors.BadRequestException"), result::toString);
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, Ledger.withOutcome(ledger, "released").size(), ledger::toString);
        assertEquals(0, Ledger.sum(ledger, "settledMicroUsd"));
        assertEquals("http 400", ledger.get(0).path("detail").asText());
    }

    @Test
    void aCallThatWasSentButNeverAnsweredIsChargedItsReservation() throws Exception {
        fake.neverAnswerNext(1);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = host(config).systemProperty("it.timeoutMs", "1000").systemProperty("it.maxRetries", "0")
                .run(OpenAiHost.class, "chat", "gpt-4o-mini", "100");

        assertEquals(1, result.callsWith("error").size(), result::toString);
        assertEquals(1, fake.requestCount(), "the request reached the provider, which may bill it");
        JsonNode line = Ledger.read(AgentConfigFile.ledger(dir)).get(0);
        assertEquals("charged-reservation", line.path("outcome").asText(), line::toString);
        assertEquals(line.path("reservedMicroUsd").asLong(), line.path("settledMicroUsd").asLong());
        assertTrue(line.path("detail").asText().startsWith("no response"), line::toString);
    }

    @Test
    void aCallThatNeverConnectedCostsNothing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config)
                .systemProperty("it.baseUrl", "http://127.0.0.1:" + closedPort + "/v1").systemProperty("it.maxRetries", "0")
                .run(OpenAiHost.class, "chat", "gpt-4o-mini", "100");

        assertEquals(1, result.callsWith("error").size(), result::toString);
        JsonNode line = Ledger.read(AgentConfigFile.ledger(dir)).get(0);
        assertEquals("released", line.path("outcome").asText(), line::toString);
        assertEquals(0, line.path("settledMicroUsd").asLong());
        assertTrue(line.path("detail").asText().startsWith("not sent"), line::toString);
    }

    @Test
    void aResponseWithoutUsageIsChargedItsReservationNeverZero() throws Exception {
        fake.omitUsage(true);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = host(config).run(OpenAiHost.class, "chat", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok no-usage"), result.calls(), result::toString);
        JsonNode line = Ledger.read(AgentConfigFile.ledger(dir)).get(0);
        assertEquals("charged-reservation", line.path("outcome").asText());
        assertTrue(line.path("settledMicroUsd").asLong() > 0);
        assertEquals(line.path("reservedMicroUsd").asLong(), line.path("settledMicroUsd").asLong());
    }

    @Test
    void anUnpricedModelIsRefusedByDefaultAndPricedAtTheFallbackWhenConfigured() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");
        ChildJvm.Result blocked = host(config).run(OpenAiHost.class, "chat", "acme-llm-9000", "100");
        assertEquals(1, blocked.callsWith("refused").size(), blocked::toString);
        assertTrue(blocked.calls().get(0).startsWith("CALL refused dev.llmbudget.UnpricedModelException"), blocked::toString);
        assertTrue(blocked.calls().get(0).contains("pricing.unknown-model"), blocked::toString);
        assertEquals(0, fake.requestCount());

        Path fallback = AgentConfigFile.write(dir, "budget.run.limit-usd=1", "pricing.unknown-model=fallback",
                "pricing.fallback.input-usd-per-mtok=10", "pricing.fallback.output-usd-per-mtok=30");
        ChildJvm.Result priced = host(fallback).run(OpenAiHost.class, "chat", "acme-llm-9000", "100");
        assertEquals(List.of("CALL ok 15 40"), priced.calls(), priced::toString);
        List<JsonNode> settled = Ledger.withOutcome(Ledger.read(AgentConfigFile.ledger(dir)), "settled");
        assertEquals(ceilDiv(15 * 10_000_000L + 40 * 30_000_000L, 1_000_000), settled.get(0).path("settledMicroUsd").asLong());
    }

    private ChildJvm host(Path config) {
        return ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl());
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
