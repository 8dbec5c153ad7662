package dev.llmbudget.config;

/**
 * The configuration reference rendered from {@link ConfigKeys}: the README's table is this text, and a
 * test keeps the two identical, so the documentation cannot drift from what the agent reads.
 */
public final class ConfigReference {
    private ConfigReference() {
    }

    /** One Markdown table row per declared key, in declaration order. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append("| Key | Value | Default | Meaning |\n");
        out.append("|---|---|---|---|\n");
        for (ConfigKey key : ConfigKeys.ALL) {
            out.append("| `").append(key.name()).append("` | ")
                    .append(escape(key.expected())).append(" | ")
                    .append(key.defaultValue() == null ? "—" : "`" + key.defaultValue() + "`").append(" | ")
                    .append(escape(key.description())).append(" |\n");
        }
        return out.toString();
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
