package dev.llmbudget.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The agent's ledger file as the tests read it: one JSON object per line. */
public final class Ledger {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Ledger() {
    }

    public static List<JsonNode> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON line in the ledger: " + line, e);
                }
            }
        }
        return lines;
    }

    public static long sum(List<JsonNode> lines, String field) {
        return lines.stream().mapToLong(line -> line.path(field).asLong()).sum();
    }

    public static List<JsonNode> withOutcome(List<JsonNode> lines, String outcome) {
        return lines.stream().filter(line -> outcome.equals(line.path("outcome").asText())).toList();
    }
}
