package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code limits.max-output-tokens}: the request that leaves the JVM asks for no more than the ceiling, or is refused. */
class OutputCeilingIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();

    @Test
    void aRequestAskingForMoreIsRewrittenToTheCeilingAndReservedAtIt() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", "limits.max-output-tokens=100");

        ChildJvm.Result result = host(config).run(OpenAiHost.class, "chat", "gpt-4o-mini", "5000");

        assertEquals(1, result.callsWith("ok").size(), result::toString);
        JsonNode sent = new ObjectMapper().readTree(fake.requestBodies().get(0));
        assertEquals(100, sent.path("max_completion_tokens").asLong(), "the provider was asked for the ceiling: " + sent);
        JsonNode line = Ledger.read(AgentConfigFile.ledger(dir)).get(0);
        assertEquals(100, line.path("estimated").path("outputTokens").asLong(), line::toString);
        assertTrue(line.path("detail").asText().startsWith("max output tokens rewritten to 100 (limits.max-output-tokens; asked 5000)"),
                line::toString);
    }

    @Test
    void withActionRefuseTheRequestIsRefusedAndNeverSent() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1", "limits.max-output-tokens=100",
                "limits.max-output-tokens.action=refuse");

        ChildJvm.Result result = host(config).run(OpenAiHost.class, "chat", "gpt-4o-mini", "5000");

        assertEquals(1, result.callsWith("refused").size(), result::toString);
        assertTrue(result.callsWith("refused").get(0).contains("over the ceiling of 100 (limits.max-output-tokens"), result::toString);
        assertEquals(0, fake.requestCount());
    }

    private ChildJvm host(Path config) {
        return ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl());
    }
}
