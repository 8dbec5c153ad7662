package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmbudget.it.apps.AnthropicHost;
import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.apps.SpendHost;
import dev.llmbudget.it.fake.FakeAnthropic;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import dev.llmbudget.it.support.RedisKeys;
import dev.llmbudget.it.support.SpendCommand;
import dev.llmbudget.store.redis.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same jar, built for Java 17, guards calls on the newer JDK installed beside the default one
 * ({@code it.extraJavaHome}, Temurin 25 here): ByteBuddy's multi-release classes and the agent's
 * class-file handling must work there too, without JVM warnings on the host's stderr.
 */
class Jdk25IT {
    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();
    @RegisterExtension
    final FakeAnthropic anthropic = new FakeAnthropic();
    private Path javaHome;

    @BeforeEach
    void setUp() throws Exception {
        String extra = System.getProperty("it.extraJavaHome", "");
        javaHome = extra.isBlank() ? null : Path.of(extra);
        assumeTrue(javaHome != null && Files.isExecutable(javaHome.resolve("bin").resolve("java")),
                "no second JDK at it.extraJavaHome=" + extra);
    }

    @Test
    void onTheNewerJdkACallThatFitsIsSettledAndOneThatDoesNotIsNeverSent() throws Exception {
        fake.reportUsage(new FakeOpenAi.ReportedUsage(900, 0, 40, 0));
        // room for one worst case (a short prompt + 1000 output tokens of gpt-4o-mini: about $0.000603),
        // not for a second on top of the first's settled $0.000159
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=0.000620");

        ChildJvm.Result result = ChildJvm.on(javaHome).withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .run(OpenAiHost.class, "chat", "gpt-4o-mini", "1000", "3");

        assertTrue(result.stdout().contains("HOST main finished"), result::toString);
        List<String> calls = result.calls();
        assertEquals(3, calls.size(), result::toString);
        assertTrue(calls.get(0).startsWith("CALL ok "), result::toString);
        assertTrue(calls.get(1).startsWith("CALL refused dev.llmbudget.BudgetExceededException "), result::toString);
        assertTrue(calls.get(2).startsWith("CALL refused dev.llmbudget.BudgetExceededException "), result::toString);
        assertEquals(1, fake.requestCount(), "the fake received only the admitted call");
        assertEquals(1, Ledger.read(AgentConfigFile.ledger(dir)).stream()
                .filter(line -> line.path("outcome").asText().equals("settled")).count());
        assertTrue(result.stderr().lines().noneMatch(line -> line.startsWith("WARNING")),
                "no JVM warnings (Unsafe, dynamic agent loading, ...) on the host's stderr:\n" + result.stderr());
    }

    @Test
    void onTheNewerJdkAnthropicCallsAndOpenAiStreamsAreSettledFromTheirUsage() throws Exception {
        anthropic.reportUsage(new FakeAnthropic.ReportedUsage(300, 0, 0, 20));
        fake.reportUsage(new FakeOpenAi.ReportedUsage(200, 0, 10, 0));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result messages = ChildJvm.on(javaHome).withAgent(config).systemProperty("it.baseUrl", anthropic.baseUrl())
                .run(AnthropicHost.class, "stream", "claude-sonnet-4-20250514", "100");
        ChildJvm.Result chatStream = ChildJvm.on(javaHome).withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .run(OpenAiHost.class, "chat-stream", "gpt-4o-mini", "100");

        assertEquals(1, messages.callsWith("ok").size(), messages::toString);
        assertEquals(List.of("CALL ok stream 4 chunks 'A clearer version.'"), chatStream.calls(), chatStream::toString);
        List<com.fasterxml.jackson.databind.JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
        assertEquals(2, ledger.size(), ledger::toString);
        assertEquals(List.of("settled", "settled"), ledger.stream().map(line -> line.path("outcome").asText()).toList());
        assertEquals(List.of(20L, 10L), ledger.stream().map(line -> line.path("actual").path("outputTokens").asLong()).toList());
    }

    @Test
    void onTheNewerJdkTheJournalAndTheRedisStoreKeepSpend() throws Exception {
        fake.reportUsage(new FakeOpenAi.ReportedUsage(20, 0, 100, 0));
        String prefix = RedisKeys.uniquePrefix("jdk25");
        try {
            Path journalDir = Files.createDirectories(dir.resolve("journal"));
            Path journalConfig = AgentConfigFile.write(journalDir, "budget.run.limit-usd=1");
            Path redisDir = Files.createDirectories(dir.resolve("redis"));
            Path redisConfig = AgentConfigFile.write(redisDir, "store=redis", RedisKeys.urlSetting(), "store.redis.key-prefix=" + prefix,
                    "budget.run.limit-usd=1");
            for (Path config : List.of(journalConfig, redisConfig)) {
                ChildJvm.Result result = ChildJvm.on(javaHome).withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                        .run(SpendHost.class, "sequential", "2");
                assertEquals(2, result.callsWith("ok").size(), result::toString);
                assertTrue(result.stderr().lines().noneMatch(line -> line.startsWith("WARNING") || line.contains("SLF4J")),
                        "no JVM or logging warnings on the host's stderr:\n" + result.stderr());
                long settled = Ledger.sum(Ledger.read(AgentConfigFile.ledger(config.getParent())), "settledMicroUsd");
                assertEquals(settled, SpendCommand.totalSpent(SpendCommand.accounts(config)), config.toString());
            }
        } finally {
            TestRedis.deleteAll(prefix);
        }
    }
}
