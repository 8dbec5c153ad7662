package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that brings its own Jackson, OkHttp, Kotlin and slf4j binding (the OpenAI SDK's own set,
 * plus slf4j-simple) runs unchanged with the agent attached, and keeps its own versions of each.
 */
class HostLibrariesIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();

    @Test
    void theHostKeepsItsOwnJacksonOkHttpKotlinAndSlf4jAndItsCallIsGuarded() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1.00");

        ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .run(OpenAiHost.class, "libraries", "gpt-4o-mini", "100");

        String hostJackson = com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString();
        assertEquals("HOST jackson " + hostJackson, result.line("HOST jackson"), result::toString);
        assertNotEquals(agentJacksonVersion(), hostJackson, "the test needs a host Jackson that differs from the agent's");
        assertEquals("HOST okhttp " + okhttp3.OkHttp.VERSION, result.line("HOST okhttp"));
        assertEquals("HOST kotlin " + kotlin.KotlinVersion.CURRENT, result.line("HOST kotlin"));
        assertEquals("HOST slf4j org.slf4j.simple.SimpleLoggerFactory", result.line("HOST slf4j"));
        assertTrue(result.stderr().contains("HOST logs through its own slf4j binding"), result::toString);
        assertFalse(result.stderr().contains("SLF4J(W)"), "no slf4j binding warnings: " + result);

        assertEquals(1, result.callsWith("ok").size(), result::toString);
        assertEquals(1, fake.requestCount());
        assertEquals("settled", Ledger.read(AgentConfigFile.ledger(dir)).get(0).path("outcome").asText());
        assertEquals(0, result.exitCode(), result::toString);
    }

    /** The Jackson version shaded into the agent jar, read from its relocated {@code PackageVersion}. */
    private static String agentJacksonVersion() throws Exception {
        try (URLClassLoader agent = new URLClassLoader(new URL[] {ChildJvm.agentJar().toUri().toURL()}, null)) {
            return agent.loadClass("dev.llmbudget.shaded.jackson.databind.cfg.PackageVersion")
                    .getField("VERSION").get(null).toString();
        }
    }
}
