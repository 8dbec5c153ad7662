package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.JdkHttpHost;
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
 * Raw {@code java.net.http.HttpClient} calls to a known LLM host ({@code providers.hosts=127.0.0.1}
 * makes the local fakes one), in a child JVM with the real agent: guarded at {@code HttpClientImpl},
 * in the platform class loader.
 */
class JdkHttpClientIT {
    private static final String KNOWN_HOST = "providers.hosts=127.0.0.1";

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();
    @RegisterExtension
    final FakeAnthropic anthropic = new FakeAnthropic();

    @Test
    void aSendThatFitsIsSettledAtExactlyTheReportedUsage() throws Exception {
        fake.reportUsage(new FakeOpenAi.ReportedUsage(1_234, 200, 56, 10));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(JdkHttpHost.class, "openai-chat", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok 1234 56"), result.calls(), result::toString);
        JsonNode line = onlyLedgerLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals("chat.completions", line.path("endpoint").asText());
        assertEquals(1_234, line.path("actual").path("inputTokens").asLong());
        assertEquals(56, line.path("actual").path("outputTokens").asLong());
        assertEquals(100, line.path("estimated").path("outputTokens").asLong());
        assertTrue(line.path("apiKey").asText().startsWith("sk-…0001#"), line::toString);
    }

    @Test
    void sendAsyncIsGuardedAndSettledToo() throws Exception {
        fake.reportUsage(new FakeOpenAi.ReportedUsage(900, 0, 40, 0));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(JdkHttpHost.class, "openai-chat-async", "gpt-4o-mini", "100", "2");

        assertEquals(List.of("CALL ok 900 40", "CALL ok 900 40"), result.calls(), result::toString);
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), ledger::toString);
        ledger.forEach(line -> assertEquals(40, line.path("actual").path("outputTokens").asLong(), line::toString));
    }

    @Test
    void aCallThatDoesNotFitIsRefusedBeforeSendingSyncAndAsync() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.000001", KNOWN_HOST);

        ChildJvm.Result sync = host(config).run(JdkHttpHost.class, "openai-chat", "gpt-4o-mini", "100");
        ChildJvm.Result async = host(config).run(JdkHttpHost.class, "openai-chat-async", "gpt-4o-mini", "100");

        assertEquals(1, sync.callsWith("refused").size(), sync::toString);
        assertEquals(1, async.callsWith("refused").size(), async::toString);
        assertEquals(0, fake.requestCount(), "nothing left the JVM");
        Ledger.read(AgentConfigFile.ledger(dir)).forEach(line -> assertEquals("refused", line.path("outcome").asText()));
    }

    @Test
    void aOneShotBodyPublisherIsReadOnceAndTheSameBytesAreSent() throws Exception {
        fake.reportUsage(new FakeOpenAi.ReportedUsage(700, 0, 30, 0));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(JdkHttpHost.class, "openai-chat-bytes", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok 700 30"), result.calls(), result::toString);
        assertTrue(fake.requestBodies().get(0).contains("\"max_completion_tokens\" : 100"), fake.requestBodies()::toString);
        assertEquals("settled", onlyLedgerLine().path("outcome").asText());
    }

    @Test
    void aStreamWithoutUsageIsChargedForTheOutputItCarried() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(JdkHttpHost.class, "openai-stream", "gpt-4o-mini", "500");

        assertEquals(List.of("CALL ok events=5"), result.calls(), "the application reads the stream as sent: " + result);
        assertTrue(!fake.requestBodies().get(0).contains("include_usage"), "raw streams are not rewritten");
        JsonNode line = onlyLedgerLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertTrue(line.path("detail").asText().startsWith("estimated from the output streamed so far"), line::toString);
        assertEquals(4, line.path("actual").path("outputTokens").asLong(), "\"A clearer version.\" in o200k: " + line);
    }

    @Test
    void aStreamTheApplicationAbandonsIsChargedForWhatItRead() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(JdkHttpHost.class, "openai-stream-abandoned", "gpt-4o-mini", "500");

        assertEquals(List.of("CALL ok events=2"), result.calls(), result::toString);
        assertEquals(1, Ledger.read(AgentConfigFile.ledger(dir)).size(), result::toString);
        JsonNode line = onlyLedgerLine();
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        long output = line.path("actual").path("outputTokens").asLong();
        assertTrue(output >= 2 && output <= 4, "at most what was streamed, \"A clearer\" at least: " + line);
        assertTrue(line.path("settledMicroUsd").asLong() < line.path("reservedMicroUsd").asLong(), line::toString);
    }

    @Test
    void aProviderErrorReleasesTheReservation() throws Exception {
        fake.failNext(1, 500);
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).run(JdkHttpHost.class, "openai-chat", "gpt-4o-mini", "100");

        assertEquals(1, result.calls().size(), result::toString);
        JsonNode line = onlyLedgerLine();
        assertEquals("released", line.path("outcome").asText(), line::toString);
        assertEquals("http 500", line.path("detail").asText());
        assertEquals(0, line.path("settledMicroUsd").asLong());
    }

    @Test
    void anthropicMessagesOverRawHttpAreGuarded() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST);

        ChildJvm.Result result = host(config).systemProperty("it.baseUrl", anthropic.baseUrl() + "/v1")
                .run(JdkHttpHost.class, "anthropic-messages", "claude-sonnet-4-20250514", "300");

        assertEquals(1, result.callsWith("ok").size(), result::toString);
        JsonNode line = onlyLedgerLine();
        assertEquals("anthropic", line.path("provider").asText(), line::toString);
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(300, line.path("estimated").path("outputTokens").asLong());
    }

    @Test
    void theOutputCeilingRewritesTheRawRequest() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", KNOWN_HOST, "limits.max-output-tokens=64");

        ChildJvm.Result result = host(config).run(JdkHttpHost.class, "openai-chat", "gpt-4o-mini", "4000");

        assertEquals(1, result.callsWith("ok").size(), result::toString);
        JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fake.requestBodies().get(0));
        assertEquals(64, sent.path("max_completion_tokens").asLong(), sent::toString);
        assertEquals(64, onlyLedgerLine().path("estimated").path("outputTokens").asLong());
    }

    @Test
    void callsToHostsThatAreNotKnownPassUntouched() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.000001");

        ChildJvm.Result result = host(config).run(JdkHttpHost.class, "openai-chat", "gpt-4o-mini", "100");

        assertEquals(1, result.callsWith("ok").size(), result::toString);
        Path ledger = AgentConfigFile.ledger(dir);
        assertTrue(!Files.exists(ledger) || Ledger.read(ledger).isEmpty(), "127.0.0.1 is no LLM host unless configured");
    }

    @Test
    void guardedOnTemurin25Too() throws Exception {
        Path jdk25 = Path.of(System.getProperty("it.extraJavaHome", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")), "Temurin 25 not installed");
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.000001", KNOWN_HOST);

        ChildJvm.Result result = ChildJvm.on(jdk25).withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .run(JdkHttpHost.class, "openai-chat", "gpt-4o-mini", "100");

        assertEquals(1, result.callsWith("refused").size(), result::toString);
        assertEquals(0, fake.requestCount());
        assertTrue(result.stderr().lines().noneMatch(l -> l.startsWith("WARNING")), result::toString);
    }

    private JsonNode onlyLedgerLine() throws Exception {
        List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(1, ledger.size(), ledger::toString);
        return ledger.get(0);
    }

    private ChildJvm host(Path config) {
        return ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl());
    }
}
