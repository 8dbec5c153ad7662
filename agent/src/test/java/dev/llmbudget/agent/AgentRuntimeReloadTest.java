package dev.llmbudget.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.config.ConfigLoader;
import dev.llmbudget.core.CallGate;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Usage;
import dev.llmbudget.tokens.Prompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config.reload}: an edit applies to the next call, a broken edit changes nothing, spend carries over. */
class AgentRuntimeReloadTest {
    private static final LlmCall CALL = new LlmCall("openai", "chat.completions", "gpt-4o-mini", Prompt.ofText("hi"), 10, 1,
            true, false, null);
    private static final Usage USAGE = new Usage(1_000, 0, 0, 1_000, 0); // $0.00075 at gpt-4o-mini's price

    @TempDir
    Path dir;
    private AgentRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private Path write(String... lines) throws Exception {
        return Files.writeString(dir.resolve("agent.properties"), String.join("\n", lines) + "\nstore=memory\nledger.enabled=false\njmx.enabled=false\n");
    }

    private void spend(CallGate gate) {
        gate.preflight(CALL).settle(USAGE);
    }

    @Test
    void aLoweredLimitRefusesTheNextCallAndWhatWasSpentStaysSpent() throws Exception {
        Path file = write("budget.daily.limit-usd=1.00", "budget.daily.window=day");
        runtime = AgentRuntime.wire(ConfigLoader.loadFile(file));
        CallGate gate = runtime.gate();
        spend(gate);
        spend(gate);

        write("budget.daily.limit-usd=0.0015", "budget.daily.window=day");
        AgentRuntime.Reload reload = runtime.reload(ConfigLoader.loadFile(file));

        assertTrue(reload.applied(), reload.toString());
        assertEquals("changed budget.daily.limit-usd", reload.summary());
        // $0.0015 spent before the reload + this call's worst case > $0.0015: the spend carried over
        BudgetExceededException refused = assertThrows(BudgetExceededException.class, () -> gate.preflight(CALL));
        assertEquals("budget.daily.limit-usd", refused.rule());
        assertEquals(1_500, refused.spentMicros());
    }

    @Test
    void aBrokenEditIsRejectedWholeAndTheRunningConfigurationStays() throws Exception {
        Path file = write("budget.daily.limit-usd=1.00", "limits.task.max-calls=5");
        runtime = AgentRuntime.wire(ConfigLoader.loadFile(file));
        CallGate gate = runtime.gate();

        // one good change (a lower limit) and one typo: neither applies
        write("budget.daily.limit-usd=0.000001", "limits.task.max-cals=5");
        AgentRuntime.Reload reload = runtime.reload(ConfigLoader.loadFile(file));

        assertFalse(reload.applied());
        assertTrue(reload.summary().contains("limits.task.max-cals"), reload.summary());
        spend(gate);
        spend(gate);
        assertEquals("budget.daily.limit-usd=1.00", runtime.config().settings().get("budget.daily.limit-usd").key()
                + "=" + runtime.config().settings().get("budget.daily.limit-usd").value());
    }

    @Test
    void theWatcherAppliesAnEditedFileButNotATouchedOne() throws Exception {
        Path file = write("budget.daily.limit-usd=1.00");
        AtomicInteger applied = new AtomicInteger();
        ConfigWatcher watcher = new ConfigWatcher(file, Duration.ofMillis(50), applied::incrementAndGet);
        assertFalse(watcher.checkOnce());
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertFalse(watcher.checkOnce(), "same content: nothing to apply");
        write("budget.daily.limit-usd=2.00");
        assertTrue(watcher.checkOnce());
        assertEquals(1, applied.get());
        Files.delete(file);
        assertFalse(watcher.checkOnce(), "a removed file keeps the running configuration");
        write("budget.daily.limit-usd=3.00");
        assertTrue(watcher.checkOnce());
        assertEquals(2, applied.get());
    }
}
