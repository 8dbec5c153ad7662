package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken configuration is reported at startup in one block, the host's main still runs, and its
 * LLM calls are refused with an exception pointing at the problem: enforcement is never silently off.
 */
class BadConfigurationIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();

    @Test
    void everyProblemIsReportedOnceTheHostRunsAndItsCallsAreRefusedUnsent() throws Exception {
        Path config = AgentConfigFile.write(dir,
                "budget.daily.limt-usd=5.00",
                "budget.comma.limit-usd=25,00",
                "budget.negative.limit-usd=-1",
                "prices.file=no-such-prices.json");

        ChildJvm.Result result = host().withAgent(config).run(OpenAiHost.class, "chat", "gpt-4o-mini", "100", "2");

        String stderr = result.stderr();
        assertTrue(stderr.contains("CONFIGURATION ERROR: 4 problems in the configuration from " + config), result::toString);
        assertTrue(stderr.contains("Enforcement is NOT switched off"), stderr);
        assertTrue(stderr.contains("budget.daily.limt-usd = '5.00'"), stderr);
        assertTrue(stderr.contains("closest known key is budget.daily.limit-usd"), stderr);
        assertTrue(stderr.contains("budget.comma.limit-usd = '25,00'"), stderr);
        assertTrue(stderr.contains("budget.negative.limit-usd = '-1'"), stderr);
        assertTrue(stderr.contains("price file not found: " + dir.resolve("no-such-prices.json").toAbsolutePath()), stderr);
        assertTrue(stderr.contains("expected a decimal amount in USD, e.g. 25.00"), stderr);

        assertTrue(result.stdout().contains("HOST main started") && result.stdout().contains("HOST main finished"), result::toString);
        List<String> refused = result.callsWith("refused");
        assertEquals(2, refused.size(), result::toString);
        for (String call : refused) {
            assertTrue(call.startsWith("CALL refused dev.llmbudget.AgentConfigurationException "), call);
            assertTrue(call.contains("budget.daily.limt-usd"), "the refusal points at the problem: " + call);
        }
        assertEquals(0, fake.requestCount(), "nothing reaches the provider while the configuration is broken");
        assertEquals(0, result.exitCode(), result::toString);
    }

    @Test
    void aMissingConfigurationFileNamedOnTheCommandLineIsAnErrorNotAnUnguardedRun() throws Exception {
        Path missing = dir.resolve("not-there.properties");

        ChildJvm.Result result = host().withAgent(missing).run(OpenAiHost.class, "chat", "gpt-4o-mini", "100");

        assertTrue(result.stderr().contains("configuration file not found: " + missing), result::toString);
        assertEquals(1, result.callsWith("refused").size(), result::toString);
        assertEquals(0, fake.requestCount());
    }

    @Test
    void systemPropertiesAndEnvironmentOverrideTheFile() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=5.00");

        // the environment lowers the limit below one call's worst case; a system property lowers it further
        ChildJvm.Result fromEnv = host().withAgent(config).env("LLMBUDGET_BUDGET_RUN_LIMIT_USD", "0.0001")
                .run(OpenAiHost.class, "chat", "gpt-4o-mini", "1000");
        assertTrue(fromEnv.callsWith("refused").get(0).contains("limit $0.0001"), fromEnv::toString);

        ChildJvm.Result fromProperty = host().withAgent(config).env("LLMBUDGET_BUDGET_RUN_LIMIT_USD", "0.0001")
                .systemProperty("llmbudget.budget.run.limit-usd", "0.00005")
                .run(OpenAiHost.class, "chat", "gpt-4o-mini", "1000");
        assertTrue(fromProperty.callsWith("refused").get(0).contains("limit $0.00005"), fromProperty::toString);
        assertEquals(0, fake.requestCount());
    }

    private ChildJvm host() {
        return ChildJvm.onCurrentJdk().systemProperty("it.baseUrl", fake.baseUrl());
    }
}
