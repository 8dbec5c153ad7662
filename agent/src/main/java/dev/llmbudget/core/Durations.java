package dev.llmbudget.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the configuration writes them: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d}, or ISO-8601 ({@code PT30S}). */
public final class Durations {
    public static final String FORMS = "a duration such as 500ms, 30s, 10m, 24h, 7d or ISO-8601 PT30S";

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {
    }

    /** @throws IllegalArgumentException saying what was expected */
    public static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher shortForm = SHORT.matcher(value);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            Duration duration = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            if (duration.isNegative()) {
                throw new IllegalArgumentException("negative: expected " + FORMS);
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: expected " + FORMS);
        }
    }

    /** An exact short form, e.g. {@code 7d}, {@code 24h}, {@code 90m}, {@code 250ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        // 24h reads better than 1d, as users write it; whole days from two on
        if (millis % 86_400_000 == 0 && millis >= 2 * 86_400_000L) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
