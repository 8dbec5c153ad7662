package dev.llmbudget.config;

import java.time.ZoneId;

/**
 * A budget as configured.
 *
 * @param matchModel the model globs, or null for every model
 */
public record BudgetConfig(String name, long limitMicros, String window, ZoneId zone, String matchModel) {
}
