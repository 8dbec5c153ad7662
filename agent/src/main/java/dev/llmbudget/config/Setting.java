package dev.llmbudget.config;

import java.nio.file.Path;

/**
 * One key's value and where it came from.
 *
 * @param key the concrete key, e.g. {@code budget.daily.limit-usd}
 * @param value the raw text
 * @param origin where it was set, e.g. {@code file /etc/app/agent.properties} or {@code environment LLMBUDGET_STORE}
 * @param baseDir the folder relative paths in this value resolve against
 */
public record Setting(String key, String value, String origin, Path baseDir) {
}
