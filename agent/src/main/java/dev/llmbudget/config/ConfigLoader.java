package dev.llmbudget.config;

import dev.llmbudget.core.Durations;
import dev.llmbudget.pricing.Money;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds and reads the configuration, applies overrides and validates every key.
 *
 * <p>The file is the first of: {@code -javaagent:llm-budget-agent.jar=config=/path}, the system
 * property {@code llmbudget.config}, the environment variable {@code LLMBUDGET_CONFIG}, and
 * {@code ./agent.properties} if it exists. Any key is overridden by the environment variable
 * {@code LLMBUDGET_<KEY>} (upper case, {@code .} and {@code -} as {@code _}), and that by the system
 * property {@code llmbudget.<key>}.
 */
public final class ConfigLoader {
    public static final String CONFIG_ARG = "config";
    public static final String CONFIG_PROPERTY = "llmbudget.config";
    public static final String CONFIG_ENV = "LLMBUDGET_CONFIG";
    public static final String DEFAULT_FILE = "agent.properties";
    private static final String PROPERTY_PREFIX = "llmbudget.";

    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigLoader() {
    }

    /** Reads the configuration the way the agent does at startup. */
    public static LoadedConfig load(String agentArgs, Map<String, String> systemProperties, Map<String, String> env,
                                    Path workingDir) {
        return new ConfigLoader().read(agentArgs, systemProperties, env, workingDir);
    }

    /** Reads one file with no overrides (the CLI's check-config and tests). */
    public static LoadedConfig loadFile(Path file) {
        return load(CONFIG_ARG + "=" + file, Map.of(), Map.of(), file.toAbsolutePath().getParent());
    }

    private LoadedConfig read(String agentArgs, Map<String, String> sysprops, Map<String, String> env, Path workingDir) {
        Path file = locateFile(agentArgs, sysprops, env, workingDir);
        Map<String, Setting> settings = new LinkedHashMap<>();
        if (file != null) {
            readFile(file, settings);
        }
        readEnvironment(env, settings, workingDir);
        readSystemProperties(sysprops, settings, workingDir);
        for (Setting setting : settings.values()) {
            validate(setting);
        }
        AgentConfig config = problems.isEmpty() ? build(file, settings, workingDir) : null;
        return new LoadedConfig(file, Map.copyOf(settings), List.copyOf(problems), problems.isEmpty() ? config : null);
    }

    private Path locateFile(String agentArgs, Map<String, String> sysprops, Map<String, String> env, Path workingDir) {
        String named = null;
        String origin = null;
        if (agentArgs != null && !agentArgs.isBlank()) {
            for (String arg : agentArgs.split(",")) {
                String trimmed = arg.trim();
                int eq = trimmed.indexOf('=');
                String name = eq < 0 ? CONFIG_ARG : trimmed.substring(0, eq).trim();
                String value = eq < 0 ? trimmed : trimmed.substring(eq + 1).trim();
                if (name.equals(CONFIG_ARG)) {
                    named = value;
                    origin = "-javaagent argument";
                } else {
                    problems.add(new ConfigProblem(name, value, "-javaagent argument",
                            "unknown agent argument; the agent takes config=/path/to/agent.properties"));
                }
            }
        }
        if (named == null && sysprops.get(CONFIG_PROPERTY) != null) {
            named = sysprops.get(CONFIG_PROPERTY);
            origin = "system property " + CONFIG_PROPERTY;
        }
        if (named == null && env.get(CONFIG_ENV) != null) {
            named = env.get(CONFIG_ENV);
            origin = "environment " + CONFIG_ENV;
        }
        if (named == null) {
            Path fallback = workingDir.resolve(DEFAULT_FILE);
            return Files.isRegularFile(fallback) ? fallback.toAbsolutePath().normalize() : null;
        }
        Path path = workingDir.resolve(named).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            problems.add(new ConfigProblem("config", named, origin,
                    "configuration file not found: " + path));
            return null;
        }
        return path;
    }

    private void readFile(Path file, Map<String, Setting> settings) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add(new ConfigProblem("config", file.toString(), null, "cannot read the configuration file: " + e.getMessage()));
            return;
        }
        Path baseDir = file.getParent();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            settings.put(key, new Setting(key, properties.getProperty(key).trim(), "file " + file, baseDir));
        }
    }

    private void readEnvironment(Map<String, String> env, Map<String, Setting> settings, Path workingDir) {
        for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith("LLMBUDGET_") || name.equals(CONFIG_ENV)) {
                continue;
            }
            String key = keyForEnv(name, settings);
            String origin = "environment " + name;
            if (key == null) {
                problems.add(new ConfigProblem(name, entry.getValue(), origin, "unknown environment variable; the closest known one is "
                        + ConfigKeys.envName(ConfigKeys.closestTo(name.substring("LLMBUDGET_".length()).toLowerCase(Locale.ROOT).replace('_', '.')))));
                continue;
            }
            settings.put(key, new Setting(key, entry.getValue().trim(), origin, workingDir));
        }
    }

    /**
     * The key an environment variable overrides. The mapping loses {@code .} versus {@code -}, so it is
     * matched against the known keys; a per-budget variable names an existing budget where one
     * matches, else a new budget named in lower case.
     */
    private static String keyForEnv(String envName, Map<String, Setting> settings) {
        for (ConfigKey key : ConfigKeys.ALL) {
            if (!key.isPerBudget() && ConfigKeys.envName(key.name()).equals(envName)) {
                return key.name();
            }
        }
        for (String existing : settings.keySet()) {
            if (ConfigKeys.envName(existing).equals(envName) && ConfigKeys.declarationOf(existing).isPresent()) {
                return existing;
            }
        }
        for (ConfigKey key : ConfigKeys.ALL) {
            if (!key.isPerBudget()) {
                continue;
            }
            String suffix = "_" + key.budgetSuffix().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            if (envName.startsWith("LLMBUDGET_BUDGET_") && envName.endsWith(suffix)) {
                String budget = envName.substring("LLMBUDGET_BUDGET_".length(), envName.length() - suffix.length());
                if (!budget.isEmpty()) {
                    return key.forBudget(budget.toLowerCase(Locale.ROOT));
                }
            }
        }
        return null;
    }

    private void readSystemProperties(Map<String, String> sysprops, Map<String, Setting> settings, Path workingDir) {
        for (Map.Entry<String, String> entry : new TreeMap<>(sysprops).entrySet()) {
            String name = entry.getKey();
            if (name.startsWith(PROPERTY_PREFIX) && !name.equals(CONFIG_PROPERTY)) {
                String key = name.substring(PROPERTY_PREFIX.length());
                settings.put(key, new Setting(key, entry.getValue().trim(), "system property " + name, workingDir));
            }
        }
    }

    private void validate(Setting setting) {
        ConfigKey declared = ConfigKeys.declarationOf(setting.key()).orElse(null);
        if (declared == null) {
            problems.add(new ConfigProblem(setting.key(), setting.value(), setting.origin(),
                    "unknown key; the closest known key is " + ConfigKeys.closestTo(setting.key())));
            return;
        }
        String problem = declared.problemWith(setting.value());
        if (problem != null) {
            problems.add(new ConfigProblem(setting.key(), setting.value(), setting.origin(),
                    "expected " + declared.expected() + ": " + problem));
        } else if (declared == ConfigKeys.PRICES_FILE) {
            // checked here, not when building, so a missing price file is reported with every other problem
            Path pricesFile = setting.baseDir().resolve(setting.value()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(pricesFile)) {
                problems.add(new ConfigProblem(setting.key(), setting.value(), setting.origin(), "price file not found: " + pricesFile));
            }
        }
    }

    /** Builds the typed configuration from settings that each passed {@link #validate}; adds cross-key problems. */
    private AgentConfig build(Path file, Map<String, Setting> settings, Path workingDir) {
        Values values = new Values(settings, workingDir);
        Path pricesFile = values.path(ConfigKeys.PRICES_FILE);
        String unknownModel = values.text(ConfigKeys.UNKNOWN_MODEL);
        Long fallbackInput = values.micros(ConfigKeys.FALLBACK_INPUT);
        Long fallbackOutput = values.micros(ConfigKeys.FALLBACK_OUTPUT);
        if (unknownModel.equals("fallback")) {
            for (ConfigKey required : List.of(ConfigKeys.FALLBACK_INPUT, ConfigKeys.FALLBACK_OUTPUT)) {
                if (values.raw(required) == null) {
                    problems.add(new ConfigProblem(required.name(), null, null,
                            "required when pricing.unknown-model=fallback: " + required.expected()));
                }
            }
        }
        List<BudgetConfig> budgets = budgets(values, settings);
        checkLimits(values);
        return new AgentConfig(file, storeConfig(values), Boolean.parseBoolean(values.text(ConfigKeys.LEDGER_ENABLED)),
                values.path(ConfigKeys.LEDGER_PATH), pricesFile, unknownModel, fallbackInput, fallbackOutput,
                Long.parseLong(values.text(ConfigKeys.DEFAULT_MAX_OUTPUT)),
                Long.parseLong(values.text(ConfigKeys.EXACT_COUNT_MAX_CHARS)),
                Long.parseLong(values.text(ConfigKeys.EXACT_COUNT_MAX_WORD_CHARS)), values.text(ConfigKeys.ON_INTERNAL_ERROR),
                values.text(ConfigKeys.LOG_LEVEL), budgets, Map.copyOf(settings));
    }

    private StoreConfig storeConfig(Values values) {
        String killSwitch = values.raw(ConfigKeys.KILLSWITCH_REDIS_KEY);
        String kind = values.text(ConfigKeys.STORE);
        if (killSwitch != null && !kind.equals("redis")) {
            problems.add(new ConfigProblem(ConfigKeys.KILLSWITCH_REDIS_KEY.name(), killSwitch, null,
                    "needs store=redis (the key is read from the shared store); the store is " + kind));
        }
        return new StoreConfig(kind, values.path(ConfigKeys.STORE_JOURNAL_PATH),
                Durations.parse(values.text(ConfigKeys.STORE_JOURNAL_FSYNC)),
                Durations.parse(values.text(ConfigKeys.STORE_RESERVATION_TIMEOUT)),
                values.rawOrDefault(ConfigKeys.STORE_REDIS_URL), values.rawOrDefault(ConfigKeys.STORE_REDIS_KEY_PREFIX),
                Durations.parse(values.text(ConfigKeys.STORE_REDIS_TIMEOUT)), values.text(ConfigKeys.STORE_REDIS_ON_UNAVAILABLE),
                Money.parseUsd(values.rawOrDefault(ConfigKeys.STORE_REDIS_LOCAL_SLICE)), killSwitch == null ? null : killSwitch.trim());
    }

    private void checkLimits(Values values) {
        for (ConfigKey loop : List.of(ConfigKeys.LOOP_IDENTICAL, ConfigKeys.LOOP_PING_PONG)) {
            String value = values.raw(loop);
            if (value != null && Long.parseLong(value.trim()) < 2) {
                problems.add(new ConfigProblem(loop.name(), value, null, "must be at least 2 (one request is not a loop)"));
            }
        }
    }

    private List<BudgetConfig> budgets(Values values, Map<String, Setting> settings) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : settings.keySet()) {
            ConfigKeys.budgetNameOf(key).ifPresent(names::add);
        }
        List<BudgetConfig> budgets = new ArrayList<>();
        for (String name : names) {
            String limit = values.raw(ConfigKeys.BUDGET_LIMIT.forBudget(name));
            if (limit == null) {
                problems.add(new ConfigProblem(ConfigKeys.BUDGET_LIMIT.forBudget(name), null, null,
                        "budget '" + name + "' has other keys set but no limit: " + ConfigKeys.BUDGET_LIMIT.expected()));
                continue;
            }
            String window = values.text(ConfigKeys.BUDGET_WINDOW, name).trim().toLowerCase(Locale.ROOT);
            String per = values.text(ConfigKeys.BUDGET_PER, name).trim().toLowerCase(Locale.ROOT);
            if (window.equals("run") && !per.equals("task")) {
                problems.add(new ConfigProblem(ConfigKeys.BUDGET_WINDOW.forBudget(name), window, null,
                        "window=run needs " + ConfigKeys.BUDGET_PER.forBudget(name) + "=task (one account per run); it is " + per));
                continue;
            }
            String alertAt = values.raw(ConfigKeys.BUDGET_ALERT_AT.forBudget(name));
            budgets.add(new BudgetConfig(name, Money.parseUsd(limit),
                    values.text(ConfigKeys.BUDGET_WINDOW, name).toLowerCase(Locale.ROOT),
                    ZoneId.of(values.text(ConfigKeys.BUDGET_ZONE, name)),
                    values.raw(ConfigKeys.BUDGET_MATCH_MODEL.forBudget(name)),
                    values.text(ConfigKeys.BUDGET_PER, name).trim().toLowerCase(Locale.ROOT),
                    "shadow".equals(mode(values, name)),
                    alertAt == null ? List.of() : BudgetConfig.basisPoints(alertAt)));
        }
        return List.copyOf(budgets);
    }

    /** {@code budget.<name>.mode}, or the global {@code mode} when the budget sets none. */
    private static String mode(Values values, String budget) {
        String own = values.raw(ConfigKeys.BUDGET_MODE.forBudget(budget));
        return own != null ? own.trim().toLowerCase(Locale.ROOT) : values.text(ConfigKeys.MODE).trim();
    }

    /** Values of validated settings, with declared defaults; default paths resolve against the working directory. */
    private record Values(Map<String, Setting> settings, Path workingDir) {
        String raw(ConfigKey key) {
            return raw(key.name());
        }

        String raw(String key) {
            Setting setting = settings.get(key);
            return setting == null ? null : setting.value();
        }

        /** The value as written (trimmed, case kept), or the default. */
        String rawOrDefault(ConfigKey key) {
            String value = raw(key);
            return value == null ? key.defaultValue() : value.trim();
        }

        String text(ConfigKey key) {
            String value = raw(key);
            return (value == null ? key.defaultValue() : value).toLowerCase(Locale.ROOT);
        }

        String text(ConfigKey key, String budget) {
            String value = raw(key.forBudget(budget));
            return value == null ? key.defaultValue() : value;
        }

        Long micros(ConfigKey key) {
            String value = raw(key);
            return value == null ? null : Money.parseUsd(value);
        }

        Path path(ConfigKey key) {
            Setting setting = settings.get(key.name());
            if (setting == null) {
                return key.defaultValue() == null ? null : workingDir.resolve(key.defaultValue()).toAbsolutePath().normalize();
            }
            Path base = setting.baseDir() == null ? workingDir : setting.baseDir();
            return base.resolve(setting.value()).toAbsolutePath().normalize();
        }
    }
}
