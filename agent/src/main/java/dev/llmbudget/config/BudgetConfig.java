package dev.llmbudget.config;

import java.time.ZoneId;

/**
 * A budget as configured.
 *
 * @param window as written, e.g. {@code day} or {@code rolling-24h} (validated)
 * @param matchModel the model globs, or null for every model
 * @param per {@code global}, {@code api-key} or {@code model}
 */
public record BudgetConfig(String name, long limitMicros, String window, ZoneId zone, String matchModel, String per) {

    /** A budget shared by every call it matches. */
    public BudgetConfig(String name, long limitMicros, String window, ZoneId zone, String matchModel) {
        this(name, limitMicros, window, zone, matchModel, "global");
    }
}
