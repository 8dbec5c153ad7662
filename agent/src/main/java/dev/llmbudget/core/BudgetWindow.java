package dev.llmbudget.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The period a budget's spend accumulates over before it starts again from zero
 * ({@code budget.<name>.window}, {@code budget.<name>.zone}).
 */
public record BudgetWindow(Kind kind, ZoneId zone) {

    public enum Kind {
        /** Never resets. */
        TOTAL,
        /** Calendar day in {@link #zone()}. */
        DAY
    }

    public static final BudgetWindow TOTAL = new BudgetWindow(Kind.TOTAL, ZoneId.of("UTC"));

    /** The id of the window that {@code now} falls in: {@code total}, or the date, e.g. {@code 2026-11-23}. */
    public String idAt(Instant now) {
        return switch (kind) {
            case TOTAL -> "total";
            case DAY -> LocalDate.ofInstant(now, zone).toString();
        };
    }

    /** When the window that {@code now} falls in ends, or null for a window that never ends. */
    public Instant endAt(Instant now) {
        return switch (kind) {
            case TOTAL -> null;
            case DAY -> LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toInstant();
        };
    }

    @Override
    public String toString() {
        return kind == Kind.TOTAL ? "total" : "day (" + zone + ")";
    }
}
