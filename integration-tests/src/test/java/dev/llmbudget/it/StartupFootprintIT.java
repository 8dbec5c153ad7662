package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.it.apps.IdleHost;
import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent stays off the host's start path: until an instrumented client class loads, none of the
 * agent's heavy dependencies (ByteBuddy, Jackson, jtokkit) is loaded on the host's main thread before
 * main, and a host that never uses an LLM client never loads ByteBuddy at all. Without
 * {@code metrics.prometheus.port} the (shaded) Prometheus client is never loaded, even once the agent is wired.
 */
class StartupFootprintIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();

    @Test
    void aHostThatNeverUsesAnLlmClientNeverLoadsByteBuddy() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");
        Path classLog = dir.resolve("classes.log");

        ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config)
                .jvmArg("-Xlog:class+load=info:file=" + classLog).run(IdleHost.class);

        assertEquals("HOST idle", result.stdout().strip(), result::toString);
        List<String> loaded = Files.readAllLines(classLog);
        assertTrue(loaded.stream().anyMatch(line -> line.contains(" dev.llmbudget.agent.AgentMain ")), "the agent ran");
        assertTrue(loaded.stream().noneMatch(line -> line.contains(" dev.llmbudget.shaded.net.bytebuddy.")),
                "ByteBuddy was loaded by a host that never used an LLM client");
    }

    @Test
    void byteBuddyLoadsWhenTheClientDoesAndTheCallIsGuarded() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");
        Path classLog = dir.resolve("classes.log");

        ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .jvmArg("-Xlog:class+load=info:file=" + classLog).run(OpenAiHost.class, "chat", "gpt-4o-mini", "100");

        assertEquals(1, result.callsWith("ok").size(), result::toString);
        List<String> loaded = Files.readAllLines(classLog);
        int firstByteBuddy = indexOf(loaded, " dev.llmbudget.shaded.net.bytebuddy.");
        int retryingClient = indexOf(loaded, " com.openai.core.http.RetryingHttpClient ");
        int hostMain = indexOf(loaded, " dev.llmbudget.it.apps.OpenAiHost ");
        assertTrue(hostMain >= 0 && firstByteBuddy > hostMain, "ByteBuddy loaded before the host's main class");
        assertTrue(retryingClient > firstByteBuddy, "ByteBuddy is built while the client class loads, to transform it");
        // the call was guarded, so the agent's operations (recorders, MBeans, alerts) were wired: metrics were not asked for
        assertTrue(loaded.stream().noneMatch(line -> line.contains(" dev.llmbudget.shaded.prometheus.")),
                "the Prometheus client was loaded though metrics.prometheus.port is unset");
        assertTrue(loaded.stream().noneMatch(line -> line.contains(" dev.llmbudget.ops.metrics.PrometheusMetrics ")),
                "the metrics endpoint was loaded though metrics.prometheus.port is unset");
        assertTrue(loaded.stream().anyMatch(line -> line.contains(" dev.llmbudget.ops.metrics.MetricsEndpoint ")),
                "the agent asked whether metrics are on (else the checks above prove nothing)");
    }

    private static int indexOf(List<String> lines, String needle) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i;
            }
        }
        return -1;
    }
}
