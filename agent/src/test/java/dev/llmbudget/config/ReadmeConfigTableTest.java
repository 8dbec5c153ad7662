package dev.llmbudget.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table is exactly what the key declarations say, so neither drifts. */
class ReadmeConfigTableTest {
    private static final String START = "<!-- config-keys:start -->\n";
    private static final String END = "<!-- config-keys:end -->";

    @Test
    void readmeTableMatchesTheDeclaredKeys() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertTrue(start >= 0 && end > start, "README.md has no " + START.trim() + " ... " + END + " section");
        assertEquals(ConfigReference.markdownTable(), text.substring(start + START.length(), end),
                "README.md's configuration table differs from ConfigKeys; regenerate it with "
                        + "`java -jar agent/target/llm-budget-agent.jar config-keys`");
    }

    @Test
    void everyDeclaredKeyHasADescriptionAndAppearsInTheTable() {
        String table = ConfigReference.markdownTable();
        for (ConfigKey key : ConfigKeys.ALL) {
            assertTrue(!key.description().isBlank(), key.name() + " has no description");
            assertTrue(table.contains("| `" + key.name() + "` |"), key.name() + " is missing from the table");
        }
    }
}
