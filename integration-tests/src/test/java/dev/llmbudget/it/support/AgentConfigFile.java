package dev.llmbudget.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes an agent.properties for a test, with the ledger in the same folder. */
public final class AgentConfigFile {
    private AgentConfigFile() {
    }

    public static Path write(Path dir, String... lines) throws IOException {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, String.join("\n", lines) + "\nledger.path=ledger.jsonl\n");
        return file;
    }

    public static Path ledger(Path dir) {
        return dir.resolve("ledger.jsonl");
    }
}
