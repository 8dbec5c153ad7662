package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.it.apps.SpendHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config.reload}: an operator edits agent.properties while the application runs. A broken edit changes
 * nothing (calls go on under the running configuration, the problem is logged as at startup); a lowered limit
 * refuses the next call within seconds, with the spend before the edit still counted.
 */
class ConfigReloadIT {
    @TempDir
    Path dir;

    @Test
    void aBrokenEditChangesNothingAndALoweredLimitRefusesTheNextCall() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=10", "config.reload.interval=250ms");
        try (FakeOpenAi fake = FakeOpenAi.start();
             ChildJvm.Running child = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                     .start(SpendHost.class, "paced", "400", "50")) {
            child.await("5 calls", 60, () -> child.countLines("CALL ok") >= 5);

            // a lower limit and a typo in one edit: rejected whole
            Files.writeString(config, Files.readString(config).replace("budget.daily.limit-usd=10", "budget.daily.limit-usd=0.000001")
                    + "limits.task.max-cals=3\n");
            child.await("the rejection", 30, () -> child.stderr().contains("CONFIGURATION EDIT REJECTED"));
            long okAtRejection = child.countLines("CALL ok");
            child.await("calls going on", 30, () -> child.countLines("CALL ok") >= okAtRejection + 5);
            assertEquals(0, child.countLines("CALL refused"), "the running configuration stayed in force");
            assertTrue(child.stderr().contains("limits.task.max-cals") && child.stderr().contains("limits.task.max-calls"),
                    "the problem is named as at startup:\n" + child.stderr());

            // the fixed edit: spent so far + the next call's worst case is over the new limit
            Files.writeString(config, Files.readString(config).replace("limits.task.max-cals=3\n", "")
                    .replace("budget.daily.limit-usd=0.000001", "budget.daily.limit-usd=0.0005"));
            long edited = System.currentTimeMillis();
            child.await("a refusal", 30, () -> child.countLines("CALL refused") >= 1);
            List<String> refused = child.stdout().lines().filter(line -> line.startsWith("CALL refused")).toList();
            long firstRefusal = Long.parseLong(refused.get(0).split(" ")[2]);
            assertTrue(refused.get(0).contains("rule=budget.daily.limit-usd"), refused.get(0));
            assertTrue(child.stderr().contains("configuration reloaded from " + config + ": changed budget.daily.limit-usd"),
                    child.stderr());
            long okBefore = child.stdout().lines().filter(line -> line.startsWith("CALL ok")).count();
            assertTrue(okBefore >= 10, "the spend before the edit counts against the new limit");
            System.out.printf("reload: first refusal %d ms after the edit was saved (config.reload.interval=250ms)%n",
                    firstRefusal - edited);
            assertTrue(firstRefusal - edited < 10_000, "applied within seconds: " + (firstRefusal - edited) + " ms");
            assertEquals(okBefore, fake.requestCount(), "no refused call reached the provider");
        }
    }
}
