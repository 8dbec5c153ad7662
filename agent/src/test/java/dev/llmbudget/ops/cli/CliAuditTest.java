package dev.llmbudget.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliAuditTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(Map<String, String> env, String... args) {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, Map.of());
    }

    private String config(String... lines) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file.toString();
    }

    @Test
    void theDemoConfigurationWarnsWithStatusThree() {
        assertEquals(3, cli(Map.of(), "audit", "../demo-app/agent.properties", "--model", "gpt-4o"), err::toString);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("one run    C × per call × R = 60 × $0.48384 × 3 = $87.0912"), text);
        assertTrue(text.contains("WARN (3)"), text);
    }

    @Test
    void aConfigurationWithEveryPathCappedPassesWithStatusZero() throws Exception {
        String file = config("budget.daily.limit-usd=100", "budget.daily.window=day", "limits.task.max-calls=10",
                "task.entry-points=com.acme.Pipeline#run", "limits.max-output-tokens=1000", "limits.retry.max-attempts=2",
                "limits.concurrency.max=4");
        assertEquals(0, cli(Map.of(), "audit", file, "--model=gpt-4o", "--input-tokens=1000"), out::toString);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("No warnings: every path has a cap."));
    }

    @Test
    void anEnvironmentOverrideIsAuditedAndNamedAsTheInputsOrigin() throws Exception {
        String file = config("budget.daily.limit-usd=100", "budget.daily.window=day", "limits.task.max-calls=10");
        cli(Map.of("LLMBUDGET_LIMITS_TASK_MAX_CALLS", "20"), "audit", file, "--model", "gpt-4o");
        assertTrue(out.toString(StandardCharsets.UTF_8)
                .contains("limits.task.max-calls=20 (environment LLMBUDGET_LIMITS_TASK_MAX_CALLS)"), out::toString);
    }

    @Test
    void anInvalidConfigurationIsStatusOneAndABadOptionStatusTwo() throws Exception {
        assertEquals(1, cli(Map.of(), "audit", config("limits.task.max-calls=-1")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("limits.task.max-calls"));

        String file = config("budget.daily.limit-usd=100");
        assertEquals(2, cli(Map.of(), "audit", file, "--input-tokens", "lots"));
        assertEquals(2, cli(Map.of(), "audit", file, "--model"));
        assertEquals(2, cli(Map.of(), "audit", file, "--fast"));
        assertEquals(2, cli(Map.of(), "audit", file, file));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage:"));
    }
}
