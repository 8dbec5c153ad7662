package dev.llmbudget.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmbudget.tokens.TokenCounter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path temp;

    /** Where the configuration file lives. */
    private Path confDir;
    /** The JVM's working directory, deliberately a different folder. */
    private Path workDir;

    @BeforeEach
    void folders() throws IOException {
        confDir = Files.createDirectories(temp.resolve("conf"));
        workDir = Files.createDirectories(temp.resolve("work"));
    }

    private Path write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private Path config(String... lines) throws IOException {
        return write(confDir.resolve("agent.properties"), lines);
    }

    private LoadedConfig load(Path file, Map<String, String> sysprops, Map<String, String> env) {
        return ConfigLoader.load(file == null ? null : "config=" + file, sysprops, env, workDir);
    }

    private static ConfigProblem onlyProblem(LoadedConfig loaded) {
        assertEquals(1, loaded.problems().size(), () -> loaded.report());
        return loaded.problems().get(0);
    }

    private static ConfigProblem problemFor(LoadedConfig loaded, String key) {
        return loaded.problems().stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseGet(() -> fail("no problem for " + key + " in:\n" + loaded.report()));
    }

    private static AgentConfig valid(LoadedConfig loaded) {
        assertTrue(loaded.isValid(), () -> loaded.report());
        assertNotNull(loaded.config());
        return loaded.config();
    }

    // ---- loading ----

    @Test
    void loadsBudgetsAndSettingsFromAFile() throws IOException {
        Path file = config(
                "# budgets",
                "budget.daily.limit-usd = 25.00",
                "budget.daily.window=DAY",
                "budget.daily.zone=Europe/Berlin",
                "budget.daily.match.model=gpt-4o*,o3*",
                "budget.all.limit-usd=$100",
                "ledger.enabled=false",
                "limits.default-max-output-tokens=1024",
                "log.level=WARN");

        AgentConfig config = valid(ConfigLoader.loadFile(file));

        assertEquals(file.toAbsolutePath().normalize(), config.file());
        assertEquals(List.of(
                new BudgetConfig("all", 100_000_000, "total", ZoneId.of("UTC"), null),
                new BudgetConfig("daily", 25_000_000, "day", ZoneId.of("Europe/Berlin"), "gpt-4o*,o3*")),
                config.budgets());
        assertFalse(config.ledgerEnabled());
        assertEquals(1_024, config.defaultMaxOutputTokens());
        assertEquals("warn", config.logLevel());
        assertEquals("file " + file.toAbsolutePath().normalize(), config.settings().get("budget.daily.zone").origin());
    }

    @Test
    void unsetKeysTakeTheirDeclaredDefaults() throws IOException {
        AgentConfig config = valid(ConfigLoader.loadFile(config("budget.b.limit-usd=1")));

        assertEquals("journal", config.store().kind());
        assertTrue(config.store().journalPath().isAbsolute() && config.store().journalPath().endsWith("llm-budget.journal"),
                "the default journal is in the working directory, like the ledger");
        assertEquals(java.time.Duration.ofMillis(100), config.store().journalFsyncInterval());
        assertEquals(java.time.Duration.ofMinutes(15), config.store().reservationTimeout());
        assertEquals("redis://127.0.0.1:6379", config.store().redisUrl());
        assertEquals("refuse", config.store().redisOnUnavailable());
        assertEquals(1_000_000, config.store().redisLocalSliceMicros());
        assertEquals(null, config.store().killSwitchRedisKey());
        assertEquals("global", config.budgets().get(0).per());
        assertTrue(config.ledgerEnabled());
        assertEquals("block", config.unknownModel());
        assertEquals("allow", config.onInternalError());
        assertEquals("info", config.logLevel());
        assertEquals(4_096, config.defaultMaxOutputTokens());
        assertNull(config.pricesFile());
        assertNull(config.fallbackInputPerMTok());
        assertEquals(2_000_000, config.exactCountMaxChars());
        assertEquals(2_000, config.exactCountMaxWordChars());
    }

    @Test
    void theExactCountDefaultsAreTheTokenCountersDefaults() throws IOException {
        AgentConfig config = valid(ConfigLoader.loadFile(config("budget.b.limit-usd=1")));
        assertEquals(TokenCounter.DEFAULT_MAX_CHARS, config.exactCountMaxChars());
        assertEquals(TokenCounter.DEFAULT_MAX_WORD_CHARS, config.exactCountMaxWordChars());
    }

    @Test
    void theExactCountLimitsAreRead() throws IOException {
        Path file = config("tokens.exact-count.max-chars = 500000", "tokens.exact-count.max-word-chars=8000");
        AgentConfig config = valid(ConfigLoader.loadFile(file));
        assertEquals(500_000, config.exactCountMaxChars());
        assertEquals(8_000, config.exactCountMaxWordChars());

        AgentConfig overridden = valid(load(file, Map.of("llmbudget.tokens.exact-count.max-chars", "9000000000"),
                Map.of("LLMBUDGET_TOKENS_EXACT_COUNT_MAX_WORD_CHARS", "1")));
        assertEquals(9_000_000_000L, overridden.exactCountMaxChars());
        assertEquals(1, overridden.exactCountMaxWordChars());
    }

    @Test
    void theExactCountLimitsMustBeWholeNumbersAboveZero() throws IOException {
        for (String bad : List.of("0", "-1", "-2000", "2k", "2.5", "2,000", "lots", "")) {
            for (String key : List.of("tokens.exact-count.max-chars", "tokens.exact-count.max-word-chars")) {
                LoadedConfig loaded = ConfigLoader.loadFile(config(key + "=" + bad));
                ConfigProblem problem = onlyProblem(loaded);
                assertEquals(key, problem.key());
                assertEquals(bad, problem.value());
                assertTrue(problem.message().startsWith("expected a whole number greater than zero: "), problem.message());
                assertNull(loaded.config());
            }
        }
    }

    @Test
    void noConfigurationAnywhereIsValidWithNoBudgets() {
        LoadedConfig loaded = ConfigLoader.load(null, Map.of(), Map.of(), workDir);
        AgentConfig config = valid(loaded);
        assertNull(loaded.file());
        assertEquals(List.of(), config.budgets());
        assertEquals(workDir.resolve("llm-budget-ledger.jsonl").toAbsolutePath().normalize(), config.ledgerPath());
    }

    @Test
    void theFileIsFoundByAgentArgumentThenSystemPropertyThenEnvironmentThenWorkingDirectory() throws IOException {
        Path fromArg = write(temp.resolve("arg/agent.properties"), "budget.b.limit-usd=1");
        Path fromProp = write(temp.resolve("prop/agent.properties"), "budget.b.limit-usd=2");
        Path fromEnv = write(temp.resolve("env/agent.properties"), "budget.b.limit-usd=3");
        Path inWorkDir = write(workDir.resolve("agent.properties"), "budget.b.limit-usd=4");
        Map<String, String> prop = Map.of("llmbudget.config", fromProp.toString());
        Map<String, String> env = Map.of("LLMBUDGET_CONFIG", fromEnv.toString());

        assertEquals(fromArg, ConfigLoader.load("config=" + fromArg, prop, env, workDir).file());
        assertEquals(fromProp, ConfigLoader.load(null, prop, env, workDir).file());
        assertEquals(fromEnv, ConfigLoader.load("", Map.of(), env, workDir).file());
        LoadedConfig fallback = ConfigLoader.load(null, Map.of(), Map.of(), workDir);
        assertEquals(inWorkDir, fallback.file());
        assertEquals(4_000_000, valid(fallback).budgets().get(0).limitMicros());
    }

    @Test
    void aBareAgentArgumentIsTheConfigPath() throws IOException {
        Path file = config("budget.b.limit-usd=1");
        assertEquals(file, ConfigLoader.load(file.toString(), Map.of(), Map.of(), workDir).file());
    }

    @Test
    void aNamedFileThatDoesNotExistIsAProblem() {
        LoadedConfig loaded = ConfigLoader.load(null, Map.of("llmbudget.config", "missing.properties"), Map.of(), workDir);
        ConfigProblem problem = onlyProblem(loaded);
        assertEquals("config", problem.key());
        assertEquals("missing.properties", problem.value());
        assertEquals("system property llmbudget.config", problem.origin());
        assertTrue(problem.message().contains("not found") && problem.message().contains(workDir.toString()),
                problem.message());
        assertNull(loaded.config());
    }

    @Test
    void anUnknownAgentArgumentIsAProblem() throws IOException {
        Path file = config("budget.b.limit-usd=1");
        LoadedConfig loaded = ConfigLoader.load("config=" + file + ",verbose=true", Map.of(), Map.of(), workDir);
        ConfigProblem problem = onlyProblem(loaded);
        assertEquals("verbose", problem.key());
        assertTrue(problem.message().contains("config=/path/to/agent.properties"), problem.message());
    }

    @Test
    void anUnreadablePropertiesFileIsAProblem() throws IOException {
        Path file = config("budget.b.limit-usd=\\u12zz");
        ConfigProblem problem = onlyProblem(ConfigLoader.loadFile(file));
        assertTrue(problem.message().startsWith("cannot read the configuration file"), problem.message());
    }

    // ---- overrides ----

    @Test
    void systemPropertiesOverrideEnvironmentWhichOverridesTheFile() throws IOException {
        Path file = config("budget.b.limit-usd=1", "ledger.path=from-file.jsonl");
        Map<String, String> env = Map.of("LLMBUDGET_LEDGER_PATH", "from-env.jsonl", "PATH", "/usr/bin", "HOME", "/root");
        Map<String, String> sysprops = Map.of("llmbudget.ledger.path", "from-sysprop.jsonl", "java.version", "17");

        LoadedConfig all = load(file, sysprops, env);
        assertEquals(workDir.resolve("from-sysprop.jsonl"), valid(all).ledgerPath());
        assertEquals("system property llmbudget.ledger.path", all.settings().get("ledger.path").origin());

        LoadedConfig envOnly = load(file, Map.of(), env);
        assertEquals(workDir.resolve("from-env.jsonl"), valid(envOnly).ledgerPath());
        assertEquals("environment LLMBUDGET_LEDGER_PATH", envOnly.settings().get("ledger.path").origin());

        assertEquals(confDir.resolve("from-file.jsonl"), valid(load(file, Map.of(), Map.of())).ledgerPath());
    }

    @Test
    void environmentVariablesMapToKeysWithDotsAndDashes() throws IOException {
        Path file = config("budget.b.limit-usd=1");
        AgentConfig config = valid(load(file, Map.of(), Map.of(
                "LLMBUDGET_PRICING_UNKNOWN_MODEL", "fallback",
                "LLMBUDGET_PRICING_FALLBACK_INPUT_USD_PER_MTOK", "2.50",
                "LLMBUDGET_PRICING_FALLBACK_OUTPUT_USD_PER_MTOK", "10",
                "LLMBUDGET_LIMITS_DEFAULT_MAX_OUTPUT_TOKENS", "512")));

        assertEquals("fallback", config.unknownModel());
        assertEquals(2_500_000L, config.fallbackInputPerMTok());
        assertEquals(10_000_000L, config.fallbackOutputPerMTok());
        assertEquals(512, config.defaultMaxOutputTokens());
    }

    @Test
    void environmentVariablesOverrideAndCreateBudgets() throws IOException {
        Path file = config("budget.my-daily.limit-usd=25", "budget.my-daily.window=day");
        AgentConfig config = valid(load(file, Map.of(), Map.of(
                "LLMBUDGET_BUDGET_MY_DAILY_LIMIT_USD", "5",
                "LLMBUDGET_BUDGET_CI_LIMIT_USD", "0.50",
                "LLMBUDGET_BUDGET_CI_MATCH_MODEL", "gpt-4o-mini")));

        assertEquals(List.of(
                new BudgetConfig("ci", 500_000, "total", ZoneId.of("UTC"), "gpt-4o-mini"),
                new BudgetConfig("my-daily", 5_000_000, "day", ZoneId.of("UTC"), null)), config.budgets());
    }

    @Test
    void systemPropertiesOverrideBudgetKeys() throws IOException {
        Path file = config("budget.daily.limit-usd=25");
        AgentConfig config = valid(load(file, Map.of("llmbudget.budget.daily.limit-usd", "3.5"),
                Map.of("LLMBUDGET_BUDGET_DAILY_LIMIT_USD", "7")));
        assertEquals(3_500_000, config.budgets().get(0).limitMicros());
    }

    // ---- problems ----

    @Test
    void anUnknownKeyNamesTheClosestKnownKey() throws IOException {
        LoadedConfig loaded = ConfigLoader.loadFile(config(
                "budget.x.limit-usdd=10", "ledger.pth=l.jsonl", "budget.daily.limit-usd=1", "budget.daily.windw=day"));

        assertEquals(3, loaded.problems().size(), loaded.report());
        assertTrue(problemFor(loaded, "budget.x.limit-usdd").message().endsWith("the closest known key is budget.x.limit-usd"),
                loaded.report());
        assertTrue(problemFor(loaded, "ledger.pth").message().endsWith("the closest known key is ledger.path"), loaded.report());
        assertTrue(problemFor(loaded, "budget.daily.windw").message().endsWith("budget.daily.window"), loaded.report());
        assertNull(loaded.config());
    }

    @Test
    void anUnknownSystemPropertyOrEnvironmentVariableIsAProblemToo() {
        LoadedConfig loaded = ConfigLoader.load(null, Map.of("llmbudget.ledger.pth", "x"),
                Map.of("LLMBUDGET_LEDGER_ENABLD", "false"), workDir);

        ConfigProblem prop = problemFor(loaded, "ledger.pth");
        assertEquals("system property llmbudget.ledger.pth", prop.origin());
        assertTrue(prop.message().contains("ledger.path"), prop.message());
        ConfigProblem env = problemFor(loaded, "LLMBUDGET_LEDGER_ENABLD");
        assertTrue(env.message().contains("LLMBUDGET_LEDGER_ENABLED"), env.message());
    }

    @Test
    void aCommaDecimalIsNotAUsdAmount() throws IOException {
        Path file = config("budget.x.limit-usd=25,00");
        LoadedConfig loaded = ConfigLoader.loadFile(file);

        ConfigProblem problem = onlyProblem(loaded);
        assertEquals("budget.x.limit-usd", problem.key());
        assertEquals("25,00", problem.value());
        assertEquals("file " + file, problem.origin());
        assertEquals("expected a decimal amount in USD, e.g. 25.00: not a decimal number", problem.message());
        assertFalse(loaded.isValid());
        assertNull(loaded.config());
    }

    @Test
    void storeKeysAndPartitionsAreRead() throws IOException {
        AgentConfig config = valid(ConfigLoader.loadFile(config("store=redis", "store.redis.url=rediss://:pw@cache:6380/2",
                "store.redis.key-prefix=Team-A:", "store.redis.timeout=250ms", "store.redis.on-unavailable=local",
                "store.redis.local-slice-usd=0.25", "killswitch.redis-key=halt-all", "store.reservation-timeout=PT20M",
                "budget.k.limit-usd=5", "budget.k.per=api-key", "budget.k.window=rolling-24h")));
        StoreConfig store = config.store();
        assertEquals("redis", store.kind());
        assertEquals("rediss://:pw@cache:6380/2", store.redisUrl());
        assertEquals("Team-A:", store.redisKeyPrefix(), "case kept");
        assertEquals(java.time.Duration.ofMillis(250), store.redisTimeout());
        assertEquals("local", store.redisOnUnavailable());
        assertEquals(250_000, store.redisLocalSliceMicros());
        assertEquals("halt-all", store.killSwitchRedisKey());
        assertEquals(java.time.Duration.ofMinutes(20), store.reservationTimeout());
        assertEquals("api-key", config.budgets().get(0).per());
        assertEquals("rolling-24h", config.budgets().get(0).window());
    }

    @Test
    void aRedisKillSwitchWithoutTheRedisStoreIsAProblem() throws IOException {
        ConfigProblem problem = onlyProblem(ConfigLoader.loadFile(config("killswitch.redis-key=halt")));
        assertEquals("killswitch.redis-key", problem.key());
        assertTrue(problem.message().contains("needs store=redis"), problem.message());
    }

    @Test
    void aNegativeLimitIsAProblem() throws IOException {
        ConfigProblem problem = onlyProblem(ConfigLoader.loadFile(config("budget.x.limit-usd=-5")));
        assertEquals("budget.x.limit-usd", problem.key());
        assertTrue(problem.message().endsWith("must not be negative"), problem.message());
    }

    @Test
    void aLimitFinerThanOneMicroUsdIsAProblem() throws IOException {
        ConfigProblem problem = onlyProblem(ConfigLoader.loadFile(config("budget.x.limit-usd=0.0000001")));
        assertTrue(problem.message().contains("six decimal places"), problem.message());
    }

    @Test
    void invalidValuesSayWhatIsExpected() throws IOException {
        LoadedConfig loaded = ConfigLoader.loadFile(config(
                "budget.x.limit-usd=1",
                "budget.x.window=weekly",
                "budget.x.zone=Mars/Olympus_Mons",
                "budget.x.match.model=",
                "limits.default-max-output-tokens=0",
                "ledger.enabled=yes",
                "store=postgres",
                "budget.x.per=tenant-of-the-month",
                "store.redis.timeout=soon",
                "store.redis.url=http://cache:6379",
                "pricing.fallback.output-usd-per-mtok=ten"));

        assertEquals(10, loaded.problems().size(), loaded.report());
        assertEquals("expected total, run, minute, hour, day, week, month or rolling-<duration> (e.g. rolling-24h, rolling-90m): not a window",
                problemFor(loaded, "budget.x.window").message());
        assertEquals("expected one of global, tenant, task, api-key, model: not a known choice", problemFor(loaded, "budget.x.per").message());
        assertTrue(problemFor(loaded, "store.redis.timeout").message().contains("500ms, 30s"), loaded.report());
        assertTrue(problemFor(loaded, "store.redis.url").message().endsWith("the scheme must be redis or rediss"), loaded.report());
        assertTrue(problemFor(loaded, "budget.x.zone").message().contains("not a known time zone"));
        assertTrue(problemFor(loaded, "budget.x.match.model").message().endsWith("empty"));
        assertTrue(problemFor(loaded, "limits.default-max-output-tokens").message().contains("greater than zero"));
        assertTrue(problemFor(loaded, "ledger.enabled").message().startsWith("expected true or false"));
        assertTrue(problemFor(loaded, "store").message().startsWith("expected one of journal, redis, memory"));
        assertTrue(problemFor(loaded, "pricing.fallback.output-usd-per-mtok").message()
                .startsWith("expected a price in USD per million tokens"));
    }

    @Test
    void theProblemReportNeverPrintsARedisPasswordOrAWebhookToken() throws IOException {
        LoadedConfig loaded = ConfigLoader.loadFile(config("budget.x.limit-usd=1", "store=redis",
                "store.redis.url=redis://app:s3cr3t-pw@cache:notaport/0",
                "alerts.webhook.url=ftp://hooks.example.com/T000/B000/abcdefghijklmnopqrstuvwx1234"));

        assertEquals(2, loaded.problems().size(), loaded.report());
        String report = loaded.report();
        assertTrue(report.contains("store.redis.url = 'redis://app:***@cache:notaport/0'"), report);
        assertTrue(report.contains("alerts.webhook.url = 'ftp://hooks.example.com/T000/B000/***'"), report);
        assertTrue(!report.contains("s3cr3t") && !report.contains("abcdefghijklmnopqrstuvwx1234"), report);
    }

    @Test
    void aMissingPriceFileIsAProblem() throws IOException {
        LoadedConfig loaded = ConfigLoader.loadFile(config("budget.x.limit-usd=1", "prices.file=prices/litellm.json"));
        ConfigProblem problem = onlyProblem(loaded);
        assertEquals("prices.file", problem.key());
        assertEquals("price file not found: " + confDir.resolve("prices/litellm.json"), problem.message());
    }

    @Test
    void aMissingPriceFileIsReportedWithTheOtherProblems() throws IOException {
        LoadedConfig loaded = ConfigLoader.loadFile(config("budget.x.limit-usd=abc", "prices.file=nope.json"));
        assertEquals(2, loaded.problems().size(), loaded.report());
        problemFor(loaded, "prices.file");
        problemFor(loaded, "budget.x.limit-usd");
    }

    @Test
    void relativePathsInTheFileResolveAgainstTheFilesFolder() throws IOException {
        write(confDir.resolve("prices/litellm.json"), "{}");
        Path file = config("budget.x.limit-usd=1", "prices.file=prices/litellm.json", "ledger.path=../logs/ledger.jsonl");

        AgentConfig config = valid(load(file, Map.of(), Map.of()));

        assertEquals(confDir.resolve("prices/litellm.json"), config.pricesFile());
        assertEquals(temp.resolve("logs/ledger.jsonl"), config.ledgerPath());
    }

    @Test
    void relativePathsFromOverridesResolveAgainstTheWorkingDirectory() throws IOException {
        write(workDir.resolve("my-prices.json"), "{}");
        Path file = config("budget.x.limit-usd=1");

        AgentConfig config = valid(load(file, Map.of("llmbudget.prices.file", "my-prices.json"), Map.of()));

        assertEquals(workDir.resolve("my-prices.json"), config.pricesFile());
    }

    @Test
    void absolutePathsAreKept() throws IOException {
        Path prices = write(temp.resolve("elsewhere/p.json"), "{}");
        AgentConfig config = valid(ConfigLoader.loadFile(config("prices.file=" + prices)));
        assertEquals(prices, config.pricesFile());
    }

    @Test
    void fallbackPricingRequiresBothFallbackPrices() throws IOException {
        LoadedConfig loaded = ConfigLoader.loadFile(config("pricing.unknown-model=fallback",
                "pricing.fallback.input-usd-per-mtok=1"));
        ConfigProblem problem = onlyProblem(loaded);
        assertEquals("pricing.fallback.output-usd-per-mtok", problem.key());
        assertNull(problem.value());
        assertTrue(problem.message().startsWith("required when pricing.unknown-model=fallback"), problem.message());
        assertNull(loaded.config());
    }

    @Test
    void aBudgetWithoutALimitIsAProblem() throws IOException {
        LoadedConfig loaded = ConfigLoader.loadFile(config("budget.nightly.window=day", "budget.other.limit-usd=1"));
        ConfigProblem problem = onlyProblem(loaded);
        assertEquals("budget.nightly.limit-usd", problem.key());
        assertTrue(problem.message().contains("budget 'nightly'"), problem.message());
        assertNull(loaded.config());
    }

    // ---- the report ----

    @Test
    void theReportNamesFileKeyValueOriginAndWhatIsExpected() throws IOException {
        Path file = config("budget.x.limit-usd=25,00", "ledger.pth=l.jsonl");
        String report = ConfigLoader.loadFile(file).report();

        assertTrue(report.contains("2 problems"), report);
        assertTrue(report.contains("from " + file), report);
        assertTrue(report.contains("budget.x.limit-usd = '25,00'"), report);
        assertTrue(report.contains("[file " + file + "]"), report);
        assertTrue(report.contains("expected a decimal amount in USD, e.g. 25.00: not a decimal number"), report);
        assertTrue(report.contains("ledger.pth = 'l.jsonl'"), report);
        assertTrue(report.contains("the closest known key is ledger.path"), report);
        assertTrue(report.contains("Enforcement is NOT switched off"), report);
    }

    @Test
    void theReportMarksMissingValuesAndMissingFiles() {
        LoadedConfig loaded = new LoadedConfig(null, Map.of(),
                List.of(new ConfigProblem("budget.n.limit-usd", null, null, "budget 'n' has other keys set but no limit")),
                null);
        String report = loaded.report();
        assertTrue(report.contains("1 problem in the configuration (no configuration file)"), report);
        assertTrue(report.contains("budget.n.limit-usd (not set)"), report);
        assertFalse(report.contains("  ["), report); // no origin to show
    }

    @Test
    void withProblemsInvalidatesAValidConfig() throws IOException {
        LoadedConfig loaded = ConfigLoader.loadFile(config("budget.x.limit-usd=1"));
        assertTrue(loaded.isValid());
        assertTrue(loaded.withProblems(List.of()).isValid());
        LoadedConfig broken = loaded.withProblems(List.of(new ConfigProblem("prices.file", "p.json", "file f", "bad")));
        assertFalse(broken.isValid());
        assertNull(broken.config());
        assertTrue(broken.report().contains("prices.file = 'p.json'"));
    }
}
