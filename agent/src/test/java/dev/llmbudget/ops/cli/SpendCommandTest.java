package dev.llmbudget.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.journal.JournalStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpendCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int spend(String... configLines) throws Exception {
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, String.join("\n", configLines) + "\n");
        return Cli.run(new String[] {"spend", config.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aJournalsAccountsAreListedWithSpentAndHeldWithoutChangingIt() throws Exception {
        Path journal = dir.resolve("spend.journal");
        AccountRef daily = new AccountRef("daily", "daily/global/2026-11-23", 10_000_000, 0);
        AccountRef perKey = new AccountRef("per-key", "per-key/key=sk-%E2%80%A6abcd%233f9a/total", 5_000_000, 0);
        try (JournalStore store = JournalStore.open(journal, Duration.ZERO, false, Clock.systemUTC())) {
            var settled = ((ReserveResult.Granted) store.reserve("a-1", List.of(daily, perKey), 40_000)).reservation();
            store.settle(settled, 12_345);
            store.reserve("a-2", List.of(daily), 20_000); // still open when the store closes: held
        }
        byte[] before = Files.readAllBytes(journal);

        assertEquals(0, spend("store.journal.path=spend.journal"), err::toString);

        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("store: journal " + journal.toAbsolutePath()), text);
        assertTrue(text.matches("(?s).*daily/global/2026-11-23 +\\$0\\.012345 +\\$0\\.02 +never.*"), text);
        assertTrue(text.matches("(?s).*per-key/key=sk-…abcd#3f9a/total +\\$0\\.012345 +\\$0\\.00 +never.*"),
                "the partition shown decoded: " + text);
        assertTrue(text.contains("2 accounts; spent $0.02469, held $0.02"), text);
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(journal), "read, never written");
    }

    @Test
    void aJournalNotCreatedYetIsNoError() throws Exception {
        assertEquals(0, spend("store.journal.path=never-written.journal"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("not created yet"));
    }

    @Test
    void theMemoryStoreHasNothingToShowAndABrokenConfigurationIsReported() throws Exception {
        assertEquals(0, spend("store=memory"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("nothing to read"));

        assertEquals(1, spend("store=postgres"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("store"), err::toString);
    }
}
