package dev.llmbudget.agent;

import dev.llmbudget.config.Setting;
import dev.llmbudget.log.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a reload changed, by key name (never by value: a value may be a webhook URL or a Redis password), and
 * which of the changes wait for a restart: what was fixed when the JVM started (the store and ledger opened,
 * the classes instrumented, the MBeans and metrics endpoint registered, the watcher itself).
 */
final class ConfigChanges {
    private static final List<String> RESTART_ONLY_PREFIXES = List.of("store.", "ledger.", "instrumentation.", "metrics.",
            "config.reload");
    private static final List<String> RESTART_ONLY_KEYS = List.of("task.entry-points", "tenant.mdc-key", "jmx.enabled",
            "killswitch.redis-key");

    private ConfigChanges() {
    }

    /** The keys whose value differs, as one line, e.g. {@code changed budget.daily.limit-usd; added mode}. */
    static String describe(Map<String, Setting> before, Map<String, Setting> after) {
        List<String> changed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String key : keys(before, after)) {
            Setting old = before.get(key);
            Setting now = after.get(key);
            if (old == null) {
                added.add(key);
            } else if (now == null) {
                removed.add(key);
            } else if (!Objects.equals(old.value().trim(), now.value().trim())) {
                changed.add(key);
            }
        }
        StringBuilder line = new StringBuilder();
        append(line, "changed", changed);
        append(line, "added", added);
        append(line, "removed", removed);
        return line.length() == 0 ? "no value changed" : line.toString();
    }

    /** One WARN per key changed that the running agent cannot apply. */
    static void warnAboutRestartOnly(Map<String, Setting> before, Map<String, Setting> after) {
        for (String key : keys(before, after)) {
            Setting old = before.get(key);
            Setting now = after.get(key);
            String oldValue = old == null ? null : old.value().trim();
            String newValue = now == null ? null : now.value().trim();
            if (!Objects.equals(oldValue, newValue) && restartOnly(key)) {
                AgentLog.warn(key + " changed in the configuration file: it takes effect at the next restart of the JVM;"
                        + " the value it started with stays in force until then");
            }
        }
    }

    static boolean restartOnly(String key) {
        return RESTART_ONLY_KEYS.contains(key) || RESTART_ONLY_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static TreeSet<String> keys(Map<String, Setting> before, Map<String, Setting> after) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return keys;
    }

    private static void append(StringBuilder line, String what, List<String> keys) {
        if (!keys.isEmpty()) {
            line.append(line.length() == 0 ? "" : "; ").append(what).append(' ').append(String.join(", ", keys));
        }
    }
}
