package dev.llmbudget.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int checkConfig(Map<String, String> env, Map<String, String> sysprops, String... lines) throws Exception {
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, String.join("\n", lines) + "\n");
        return Cli.run(new String[] {"check-config", config.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, sysprops);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The line of {@code key}: {@code key = value   [origin]}. */
    private void assertRow(String key, String value, String origin) {
        Pattern row = Pattern.compile("(?m)^" + Pattern.quote(key) + " += " + Pattern.quote(value) + " *  \\[" + Pattern.quote(origin) + "]$");
        assertTrue(row.matcher(stdout()).find(), key + " = " + value + " [" + origin + "] in:\n" + stdout());
    }

    @Test
    void everyKeyInEffectIsListedSortedWithItsOrigin() throws Exception {
        int status = checkConfig(Map.of("LLMBUDGET_LIMITS_TASK_MAX_CALLS", "7", "PATH", "/usr/bin"),
                Map.of("llmbudget.log.level", "debug", "java.version", "17"),
                "budget.daily.limit-usd=25.00", "budget.daily.window=day", "limits.task.max-calls=60");

        assertEquals(0, status, err::toString);
        String file = "file " + dir.resolve("agent.properties").toAbsolutePath().normalize();
        assertTrue(stdout().startsWith("configuration OK: "), stdout());
        assertRow("budget.daily.limit-usd", "25.00", file);
        assertRow("budget.daily.window", "day", file);
        assertRow("limits.task.max-calls", "7", "environment LLMBUDGET_LIMITS_TASK_MAX_CALLS");
        assertRow("log.level", "debug", "system property llmbudget.log.level");
        assertRow("budget.daily.zone", "UTC", "default");
        assertRow("budget.daily.per", "global", "default");
        assertRow("store", "journal", "default");
        assertRow("limits.default-max-output-tokens", "4096", "default");
        assertTrue(stdout().matches("(?s).*not set, no default \\(\\d+\\): .*budget\\.daily\\.match\\.model.*"), stdout());
        assertFalse(stdout().contains("limits.concurrency.max ="), "no value, no default: not a row");

        List<String> keys = stdout().lines().skip(1).takeWhile(line -> !line.startsWith("not set"))
                .map(line -> line.substring(0, line.indexOf(' '))).toList();
        assertEquals(keys.stream().sorted().toList(), keys, "sorted");
    }

    @Test
    void aBudgetWithoutAModeOfItsOwnShowsTheAgentsMode() throws Exception {
        int status = checkConfig(Map.of(), Map.of(), "mode=shadow", "budget.old.limit-usd=5", "budget.new.limit-usd=1",
                "budget.new.mode=enforce");

        assertEquals(0, status, err::toString);
        assertRow("budget.old.mode", "shadow", "from mode");
        assertRow("budget.new.mode", "enforce", "file " + dir.resolve("agent.properties").toAbsolutePath().normalize());
        assertFalse(stdout().matches("(?s).*not set, no default.*budget\\.old\\.mode.*"), stdout());
    }

    @Test
    void secretsAreMasked() throws Exception {
        int status = checkConfig(Map.of("LLMBUDGET_STORE_REDIS_URL", "redis://app:s3cret-pass@redis.internal:6380/2"),
                Map.of("llmbudget.alerts.webhook.url", "https://hooks.slack.com/services/T0123ABC/B0456DEF/AbCdEf0123456789GhIjKlMn"),
                "store.redis.key-prefix=sk-proj-abcdefghijklmnop1234");

        assertEquals(0, status, err::toString);
        assertRow("store.redis.url", "redis://app:***@redis.internal:6380/2", "environment LLMBUDGET_STORE_REDIS_URL");
        assertRow("alerts.webhook.url", "https://hooks.slack.com/services/T0123ABC/B0456DEF/***",
                "system property llmbudget.alerts.webhook.url");
        assertFalse(stdout().contains("s3cret"), stdout());
        assertFalse(stdout().contains("AbCdEf0123456789GhIjKlMn"), stdout());
        assertFalse(stdout().contains("abcdefghijklmnop1234"), "a key-shaped value is shown as its fingerprint: " + stdout());
    }

    @Test
    void anInvalidConfigurationIsReportedOnStderrWithStatusOne() throws Exception {
        assertEquals(1, checkConfig(Map.of(), Map.of(), "budget.daily.limit-usd=25,00"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("budget.daily.limit-usd"), err::toString);
        assertEquals("", stdout());
    }
}
