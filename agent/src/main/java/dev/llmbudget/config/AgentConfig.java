package dev.llmbudget.config;

import java.nio.file.Path;
import dev.llmbudget.wire.ProviderHosts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration, typed. Built only when the configuration has no problems.
 *
 * @param file the configuration file, or null when none was found
 * @param pricesFile the user's price file, or null
 * @param fallbackInputPerMTok micro-USD per million tokens, or null when not set
 * @param fallbackOutputPerMTok micro-USD per million tokens, or null when not set
 * @param exactCountMaxChars prompts with more characters are bounded by byte length, not tokenized
 * @param exactCountMaxWordChars prompts with a longer run of non-whitespace are bounded by byte length, not tokenized
 * @param settings every key that was set, with its origin
 */
public record AgentConfig(Path file, StoreConfig store, boolean ledgerEnabled, Path ledgerPath, Path pricesFile,
                          String unknownModel, Long fallbackInputPerMTok, Long fallbackOutputPerMTok,
                          long defaultMaxOutputTokens, long exactCountMaxChars, long exactCountMaxWordChars,
                          String onInternalError, String logLevel,
                          List<BudgetConfig> budgets, Map<String, Setting> settings) {

    /** {@code limits.max-output-tokens}, or 0 when not set. */
    public long maxOutputTokens() {
        Setting setting = settings.get(ConfigKeys.MAX_OUTPUT.name());
        return setting == null ? 0 : Long.parseLong(setting.value().trim());
    }

    /** Whether {@code limits.max-output-tokens.action} is {@code refuse} (else {@code clamp}). */
    public boolean refuseOverMaxOutputTokens() {
        Setting setting = settings.get(ConfigKeys.MAX_OUTPUT_ACTION.name());
        return setting != null && setting.value().trim().equalsIgnoreCase("refuse");
    }

    /** The hosts the HTTP-level layers guard: {@code providers.hosts}, plus the public APIs unless switched off. */
    public ProviderHosts providerHosts() {
        List<String> hosts = new ArrayList<>();
        Setting defaults = settings.get(ConfigKeys.PROVIDER_HOSTS_DEFAULTS.name());
        if (defaults == null || Boolean.parseBoolean(defaults.value().trim())) {
            hosts.addAll(ProviderHosts.DEFAULTS);
        }
        Setting extra = settings.get(ConfigKeys.PROVIDER_HOSTS.name());
        if (extra != null) {
            for (String entry : extra.value().split(",")) {
                hosts.add(entry.trim());
            }
        }
        return ProviderHosts.of(hosts);
    }

    /** A {@link ValueType#COUNT} key's value, or 0 when it is not set and has no default (its limit is off). */
    public long count(ConfigKey key) {
        String value = valueOrDefault(key);
        return value == null ? 0 : Long.parseLong(value.trim());
    }

    /** A {@link ValueType#DURATION} key's value or default. */
    public java.time.Duration duration(ConfigKey key) {
        return dev.llmbudget.core.Durations.parse(valueOrDefault(key).trim());
    }

    /** A {@link ValueType#CHOICE} key's value or default, lower case. */
    public String choice(ConfigKey key) {
        return valueOrDefault(key).trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** A {@link ValueType#USD} key's value in micro-USD, or 0 when it is not set and has no default. */
    public long micros(ConfigKey key) {
        String value = valueOrDefault(key);
        return value == null ? 0 : dev.llmbudget.pricing.Money.parseUsd(value.trim());
    }

    /** A {@link ValueType#TEXT} key's value (trimmed, case kept), or its default, or null. */
    public String text(ConfigKey key) {
        String value = valueOrDefault(key);
        return value == null ? null : value.trim();
    }

    /** A {@link ValueType#PATH} key's value resolved against where it was set (the file's folder), or null when unset. */
    public Path path(ConfigKey key) {
        Setting setting = settings.get(key.name());
        if (setting == null) {
            return null;
        }
        Path base = setting.baseDir() == null ? Path.of("") : setting.baseDir();
        return base.resolve(setting.value().trim()).toAbsolutePath().normalize();
    }

    private String valueOrDefault(ConfigKey key) {
        Setting setting = settings.get(key.name());
        return setting == null ? key.defaultValue() : setting.value();
    }

    /** Whether {@code instrumentation.<library>.enabled} leaves the library guarded (the default). */
    public boolean instrumentationEnabled(String library) {
        Setting setting = settings.get("instrumentation." + library + ".enabled");
        return setting == null || Boolean.parseBoolean(setting.value().trim());
    }
}
