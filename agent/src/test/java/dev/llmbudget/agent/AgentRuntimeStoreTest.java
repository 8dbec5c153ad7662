package dev.llmbudget.agent;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.AgentConfigurationException;
import dev.llmbudget.config.ConfigLoader;
import dev.llmbudget.config.LoadedConfig;
import dev.llmbudget.core.Guard;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.MisconfiguredGate;
import dev.llmbudget.tokens.Prompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the agent wires its spend store, and what a store that cannot be opened does to calls. */
class AgentRuntimeStoreTest {
    private static final LlmCall CALL = new LlmCall("openai", "chat.completions", "gpt-4o-mini", Prompt.ofText("hi"), 10, 1,
            true, false, null);

    @TempDir
    Path dir;

    private LoadedConfig load(Path workingDir, String... lines) throws Exception {
        Path config = Files.writeString(dir.resolve("agent-" + System.nanoTime() + ".properties"),
                String.join("\n", lines) + "\nledger.enabled=false\n");
        return ConfigLoader.load("config=" + config, Map.of(), Map.of(), workingDir);
    }

    @Test
    void aJournalAnotherRuntimeHoldsRefusesEveryCallSayingWhy() throws Exception {
        AgentRuntime first = AgentRuntime.wire(load(dir, "store.journal.path=shared.journal", "budget.b.limit-usd=1"));
        try {
            assertInstanceOf(LiveGate.class, first.gate());
            AgentRuntime second = AgentRuntime.wire(load(dir, "store.journal.path=shared.journal", "budget.b.limit-usd=1"));
            assertInstanceOf(MisconfiguredGate.class, second.gate());
            AgentConfigurationException refused = assertThrows(AgentConfigurationException.class, () -> second.gate().preflight(CALL));
            assertTrue(refused.getMessage().contains("store.journal.path"), refused.getMessage());
            assertTrue(refused.getMessage().contains("already open"), refused.getMessage());
        } finally {
            first.close();
        }
    }

    @Test
    void anUnwritableJournalTheUserNamedRefusesEveryCall() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "x");
        AgentRuntime runtime = AgentRuntime.wire(load(dir, "store.journal.path=" + notAFolder.resolve("spend.journal"),
                "budget.b.limit-usd=1"));
        assertInstanceOf(MisconfiguredGate.class, runtime.gate());
    }

    @Test
    void theDefaultJournalInAnUnwritableWorkingDirectoryFallsBackToMemoryAndStillEnforces() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("read-only-working-dir"), "x");
        AgentRuntime runtime = AgentRuntime.wire(load(notAFolder, "budget.b.limit-usd=0.000001"));
        try {
            Guard guard = assertInstanceOf(LiveGate.class, runtime.gate()).guard();
            assertThrows(dev.llmbudget.BudgetExceededException.class, () -> guard.preflight(CALL), "still enforced");
        } finally {
            runtime.close();
        }
    }
}
