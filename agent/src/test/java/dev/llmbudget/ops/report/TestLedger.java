package dev.llmbudget.ops.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ledger lines for tests, with every field {@code JsonlLedger} writes, so the reader meets what it will meet. Public
 * and on plain (unshaded) Jackson: integration tests write their ledgers with it too, from the agent's test jar.
 */
public final class TestLedger {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new ArrayList<>();

    public static Line line(String time, String model, String decision) {
        return new Line(time, model, decision);
    }

    public TestLedger add(Line line) {
        lines.add(line.json());
        return this;
    }

    /** A line as is, for malformed ones. */
    public TestLedger raw(String text) {
        lines.add(text);
        return this;
    }

    public Path write(Path file) {
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class Line {
        private final String time;
        private final String model;
        private final String decision;
        private String tenant;
        private String rule = "budget.daily.limit-usd";
        private List<String> budgets = List.of();
        private long inputTokens = 1_000;
        private long outputTokens = 200;
        private boolean usage = true;
        private long settledMicros;

        private Line(String time, String model, String decision) {
            this.time = time;
            this.model = model;
            this.decision = decision;
            this.usage = !decision.equals("refuse");
        }

        public Line tenant(String value) {
            tenant = value;
            return this;
        }

        public Line rule(String value) {
            rule = value;
            return this;
        }

        public Line budgets(String... names) {
            budgets = List.of(names);
            return this;
        }

        public Line tokens(long input, long output) {
            inputTokens = input;
            outputTokens = output;
            return this;
        }

        /** {@code "actual": null}: the provider reported no usage. */
        public Line noUsage() {
            usage = false;
            return this;
        }

        public Line settled(long micros) {
            settledMicros = micros;
            return this;
        }

        public String json() {
            ObjectNode line = JSON.createObjectNode();
            line.put("time", time);
            line.put("callId", "c-" + time);
            line.put("provider", "openai");
            line.put("endpoint", "chat.completions");
            line.put("model", model);
            line.put("apiKey", "sk-…abcd#3f9a");
            line.putNull("task");
            line.put("tenant", tenant);
            line.put("stream", false);
            line.put("decision", decision);
            line.put("outcome", decision.equals("refuse") ? "refused" : "settled");
            line.put("rule", rule);
            ArrayNode names = line.putArray("budgets");
            budgets.forEach(names::add);
            ObjectNode estimated = line.putObject("estimated");
            estimated.put("inputTokens", inputTokens + 7);
            estimated.put("inputTokenCount", "EXACT_O200K");
            estimated.put("outputTokens", 4_096);
            if (usage) {
                ObjectNode actual = line.putObject("actual");
                actual.put("inputTokens", inputTokens);
                actual.put("cachedInputTokens", 0);
                actual.put("cacheWriteTokens", 0);
                actual.put("outputTokens", outputTokens);
                actual.put("reasoningTokens", 0);
            } else {
                line.putNull("actual");
            }
            line.put("reservedMicroUsd", settledMicros * 2);
            line.put("settledMicroUsd", settledMicros);
            line.putNull("detail");
            line.put("durationMs", 850);
            return line.toString();
        }
    }
}
