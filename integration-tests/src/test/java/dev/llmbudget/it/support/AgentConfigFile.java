package dev.llmbudget.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes an agent.properties for a test, with the ledger and the spend journal in the same folder. */
public final class AgentConfigFile {
    private AgentConfigFile() {
    }

    public static Path write(Path dir, String... lines) throws IOException {
        Path file = dir.resolve("agent.properties");
        String text = String.join("\n", lines) + "\nledger.path=ledger.jsonl\n";
        // each test its own journal: the default one in the working directory would carry spend from test to test
        if (!text.contains("store.journal.path=")) {
            text += "store.journal.path=spend.journal\n";
        }
        Files.writeString(file, text);
        return file;
    }

    public static Path ledger(Path dir) {
        return dir.resolve("ledger.jsonl");
    }
}
