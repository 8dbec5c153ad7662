package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.SpendHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roll-out: {@code mode=shadow} makes every decision and refuses nothing, writing {@code would-refuse} where
 * enforcing would have refused; {@code budget.<name>.mode=shadow} lets one new budget watch while the others enforce.
 */
class ShadowModeIT {
    @TempDir
    Path dir;

    @Test
    void inShadowModeNothingIsRefusedAndEveryWouldRefuseIsLoggedAndInTheLedger() throws Exception {
        // each call holds $0.000126 and settles $0.000027: from the 4th on, would refuse
        Path config = AgentConfigFile.write(dir, "mode=shadow", "budget.tiny.limit-usd=0.0002", "limits.task.max-calls=100");
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .run(SpendHost.class, "sequential", "12");
            assertEquals(12, result.callsWith("ok").size(), result::toString);
            assertEquals(12, fake.requestCount(), "every call reached the provider");
            assertTrue(result.stderr().contains("MODE SHADOW"), "the startup line says so:\n" + result.stderr());

            List<JsonNode> lines = Ledger.read(AgentConfigFile.ledger(dir));
            assertEquals(12, lines.size());
            List<JsonNode> wouldRefuse = lines.stream().filter(line -> line.path("decision").asText().equals("would-refuse")).toList();
            assertTrue(wouldRefuse.size() >= 6, "the budget is spent after a few calls:\n" + lines);
            for (JsonNode line : wouldRefuse) {
                assertEquals("budget.tiny.limit-usd", line.path("rule").asText());
                assertEquals("settled", line.path("outcome").asText(), "it was sent and charged");
                assertTrue(line.path("detail").asText().startsWith("would refuse: "), line.toString());
            }
            long logged = result.stderr().lines().filter(line -> line.contains("WARN SHADOW: would refuse (budget.tiny.limit-usd)")).count();
            assertEquals(wouldRefuse.size(), logged, "one WARN per would-refuse:\n" + result.stderr());
            long spent = Ledger.sum(lines, "settledMicroUsd");
            assertTrue(spent > 200, "spend went past the shadow limit: " + spent);
        }
    }

    @Test
    void aShadowBudgetOnlyWatchesWhileTheEnforcedBudgetStillRefuses() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.new-tenant-cap.limit-usd=0.0001", "budget.new-tenant-cap.mode=shadow",
                "budget.daily.limit-usd=0.0006");
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .run(SpendHost.class, "sequential", "30");
            List<String> refused = result.callsWith("refused");
            assertTrue(!refused.isEmpty() && refused.stream().allMatch(line -> line.contains("rule=budget.daily.limit-usd")), result::toString);
            assertEquals(result.callsWith("ok").size(), fake.requestCount());

            List<JsonNode> lines = Ledger.read(AgentConfigFile.ledger(dir));
            assertTrue(lines.stream().anyMatch(line -> line.path("decision").asText().equals("would-refuse")
                    && line.path("rule").asText().equals("budget.new-tenant-cap.limit-usd")), lines::toString);
            assertTrue(lines.stream().noneMatch(line -> line.path("decision").asText().equals("refuse")
                    && line.path("rule").asText().equals("budget.new-tenant-cap.limit-usd")), "the shadow budget refused nothing");
        }
    }
}
