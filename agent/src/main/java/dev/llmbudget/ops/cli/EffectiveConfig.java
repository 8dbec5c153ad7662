package dev.llmbudget.ops.cli;

import dev.llmbudget.config.ConfigKey;
import dev.llmbudget.config.ConfigKeys;
import dev.llmbudget.config.LoadedConfig;
import dev.llmbudget.config.SecretMask;
import dev.llmbudget.config.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code check-config}'s listing: every key in effect, sorted, as {@code key = value   [origin]}, the
 * origin being the file, the environment variable or system property that set it, or {@code default}
 * (per-budget defaults for each configured budget). Keys with neither a value nor a default follow on
 * one wrapped line. Values pass through {@link SecretMask}.
 */
final class EffectiveConfig {
    static final String DEFAULT = "default";
    private static final int VALUE_COLUMN = 32;
    private static final int WIDTH = 100;

    private EffectiveConfig() {
    }

    private record Row(String value, String origin) {
    }

    static String render(LoadedConfig loaded) {
        Map<String, Row> rows = new TreeMap<>();
        TreeSet<String> budgets = new TreeSet<>();
        for (Setting setting : loaded.settings().values()) {
            rows.put(setting.key(), new Row(SecretMask.mask(setting.value()), setting.origin()));
            ConfigKeys.budgetNameOf(setting.key()).ifPresent(budgets::add);
        }
        List<String> notSet = new ArrayList<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            List<String> names = key.isPerBudget() ? budgets.stream().map(key::forBudget).toList() : List.of(key.name());
            for (String name : names) {
                if (rows.containsKey(name)) {
                    continue;
                }
                if (key == ConfigKeys.BUDGET_MODE) {
                    // a budget without a mode of its own follows the agent's
                    rows.put(name, new Row(loaded.config().choice(ConfigKeys.MODE), "from " + ConfigKeys.MODE.name()));
                } else if (key.defaultValue() == null) {
                    notSet.add(name);
                } else {
                    rows.put(name, new Row(SecretMask.mask(key.defaultValue()), DEFAULT));
                }
            }
        }
        int keyWidth = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        int valueWidth = Math.min(VALUE_COLUMN, rows.values().stream().mapToInt(row -> row.value().length()).max().orElse(0));
        String format = "%-" + keyWidth + "s = %-" + valueWidth + "s  [%s]%n";
        StringBuilder out = new StringBuilder();
        rows.forEach((key, row) -> out.append(String.format(Locale.ROOT, format, key, row.value(), row.origin())));
        if (!notSet.isEmpty()) {
            notSet.sort(null);
            out.append(wrap("not set, no default (" + notSet.size() + "): ", notSet));
        }
        return out.toString();
    }

    private static String wrap(String head, List<String> items) {
        StringBuilder out = new StringBuilder(head);
        int lineStart = 0;
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i) + (i < items.size() - 1 ? "," : "");
            if (out.length() - lineStart + item.length() + 1 > WIDTH && out.length() - lineStart > head.length()) {
                out.append('\n');
                lineStart = out.length();
                out.append("  ");
            } else if (i > 0) {
                out.append(' ');
            }
            out.append(item);
        }
        return out.append('\n').toString();
    }
}
