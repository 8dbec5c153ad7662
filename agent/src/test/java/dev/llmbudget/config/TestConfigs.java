package dev.llmbudget.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Configurations for tests, loaded from a real file the way the agent loads one. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** Writes {@code lines} to {@code dir/agent.properties} and loads it; fails the test if it is not valid. */
    public static AgentConfig valid(Path dir, String... lines) throws IOException {
        Path file = Files.writeString(dir.resolve("agent.properties"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        LoadedConfig loaded = ConfigLoader.loadFile(file);
        assertTrue(loaded.isValid(), loaded::report);
        return loaded.config();
    }
}
