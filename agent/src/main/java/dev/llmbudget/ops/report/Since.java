package dev.llmbudget.ops.report;

import dev.llmbudget.core.Durations;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code --since}: where the report's period starts. Three forms, told apart by their shape: an instant
 * ({@code 2026-11-23T10:00:00Z}, any offset), a date ({@code 2026-11-23}, its start in UTC, as the ledger's times
 * are UTC), or a duration back from now in the configuration's syntax ({@code 30m}, {@code 24h}, {@code 7d}).
 */
final class Since {
    static final String FORMS = "an instant (2026-11-23T10:00:00Z), a date (2026-11-23, from its start in UTC)"
            + " or a duration back from now (30m, 24h, 7d)";

    private Since() {
    }

    /** @throws IllegalArgumentException naming the forms accepted */
    static Instant parse(String text, Instant now) {
        String value = text.trim();
        try {
            if (value.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
                return OffsetDateTime.parse(value).toInstant();
            }
            if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return now.minus(Durations.parse(value));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--since '" + text + "' is not " + FORMS);
        }
    }
}
