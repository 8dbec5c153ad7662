package dev.llmbudget.ops.report;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/** {@code --by}: what one row of the table stands for, and which rows a ledger line counts toward. */
enum Grouping {
    MODEL,
    /** A line counts toward each budget it was reserved in: a call under two budgets spent from both. */
    BUDGET,
    TENANT,
    /** The UTC date of the line's time: the ledger's times are UTC, and a date must not depend on where the report runs. */
    DAY;

    static final String NONE = "(none)";
    static final String CHOICES = "model, budget, tenant or day";

    /** The name of the table's first column. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    List<String> keys(LedgerLine line) {
        return switch (this) {
            case MODEL -> List.of(orNone(line.model()));
            case BUDGET -> line.budgets().isEmpty() ? List.of(NONE) : line.budgets();
            case TENANT -> List.of(orNone(line.tenant()));
            case DAY -> List.of(LocalDate.ofInstant(line.time(), ZoneOffset.UTC).toString());
        };
    }

    /** @throws IllegalArgumentException naming the choices */
    static Grouping parse(String text) {
        for (Grouping grouping : values()) {
            if (grouping.label().equals(text)) {
                return grouping;
            }
        }
        throw new IllegalArgumentException("--by '" + text + "' is not one of " + CHOICES);
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }
}
