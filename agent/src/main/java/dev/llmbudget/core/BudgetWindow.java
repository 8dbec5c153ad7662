package dev.llmbudget.core;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The period a budget's spend accumulates over ({@code budget.<name>.window}, {@code budget.<name>.zone}).
 *
 * <p>Calendar windows ({@code minute}, {@code hour}, {@code day}, {@code week} from Monday,
 * {@code month}) start again from zero at their boundary in {@link #zone()}; {@code total} never does.
 * A rolling window ({@code rolling-24h}) counts what was spent in the last {@link #rolling()}: its
 * spend is kept in {@value #ROLLING_BUCKETS} buckets, and a call must fit the sum of the current
 * bucket and the {@value #ROLLING_BUCKETS} before it. That covers a little more than the window,
 * never less (conservative: spend leaves the window up to one bucket late, never early), while a
 * store only ever adds to one bucket.
 */
public record BudgetWindow(Kind kind, ZoneId zone, Duration rolling) {

    public enum Kind { TOTAL, MINUTE, HOUR, DAY, WEEK, MONTH, ROLLING, RUN }

    /** Buckets per rolling window; a bucket is the window's sixtieth (at least one second). */
    public static final int ROLLING_BUCKETS = 60;

    public static final BudgetWindow TOTAL = new BudgetWindow(Kind.TOTAL, ZoneId.of("UTC"), null);

    /** What the configuration accepts, for messages and the README. */
    public static final String FORMS = "total, run, minute, hour, day, week, month or rolling-<duration> (e.g. rolling-24h, rolling-90m)";

    /** How long a run's account is kept after the span that created it (runs have no calendar end). */
    static final Duration RUN_RETENTION = Duration.ofDays(7);

    private static final DateTimeFormatter MINUTE_ID = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm", Locale.ROOT);
    private static final DateTimeFormatter HOUR_ID = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH", Locale.ROOT);
    private static final DateTimeFormatter MONTH_ID = DateTimeFormatter.ofPattern("uuuu-MM", Locale.ROOT);

    public BudgetWindow {
        if ((kind == Kind.ROLLING) != (rolling != null)) {
            throw new IllegalArgumentException("a rolling window, and only a rolling window, has a duration");
        }
    }

    public BudgetWindow(Kind kind, ZoneId zone) {
        this(kind, zone, null);
    }

    /**
     * Parses a {@code budget.<name>.window} value.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static BudgetWindow parse(String text, ZoneId zone) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("rolling-")) {
            Duration duration = Durations.parse(value.substring("rolling-".length()));
            if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("a rolling window must be at least 1m");
            }
            return new BudgetWindow(Kind.ROLLING, zone, duration);
        }
        for (Kind kind : Kind.values()) {
            if (kind != Kind.ROLLING && kind.name().toLowerCase(Locale.ROOT).equals(value)) {
                return new BudgetWindow(kind, zone);
            }
        }
        throw new IllegalArgumentException("not a window: expected " + FORMS);
    }

    /**
     * Where the spend of a call made at {@code now} goes.
     *
     * @param id the window's id, e.g. {@code total}, {@code 2026-11-23}, {@code 2026-W48}, {@code r86400s-1234}
     * @param earlierIds the ids of the earlier buckets that count with it (rolling windows), else empty
     * @param endsAt when this id stops being the current one, or null for never
     * @param expiresAt when nothing counts this id any more and a store may forget it, or null for never
     */
    public record Span(String id, List<String> earlierIds, Instant endsAt, Instant expiresAt) {
    }

    public Span spanAt(Instant now) {
        if (kind == Kind.TOTAL) {
            return new Span("total", List.of(), null, null);
        }
        if (kind == Kind.ROLLING) {
            return rollingSpanAt(now);
        }
        if (kind == Kind.RUN) {
            // one account per run (the partition, per=task, tells runs apart); the span is renewed hourly
            // only so that the accounts of runs begun later get a later expiry
            Instant renewAt = now.plus(Duration.ofHours(1));
            return new Span("run", List.of(), renewAt, renewAt.plus(RUN_RETENTION));
        }
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime end;
        String id;
        switch (kind) {
            case MINUTE -> {
                ZonedDateTime start = local.truncatedTo(ChronoUnit.MINUTES);
                end = start.plusMinutes(1);
                id = MINUTE_ID.format(start);
            }
            case HOUR -> {
                ZonedDateTime start = local.truncatedTo(ChronoUnit.HOURS);
                end = start.plusHours(1);
                id = HOUR_ID.format(start);
            }
            case DAY -> {
                end = local.toLocalDate().plusDays(1).atStartOfDay(zone);
                id = local.toLocalDate().toString();
            }
            case WEEK -> {
                LocalDate monday = local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                end = monday.plusWeeks(1).atStartOfDay(zone);
                id = String.format(Locale.ROOT, "%d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR),
                        monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            }
            case MONTH -> {
                LocalDate first = local.toLocalDate().withDayOfMonth(1);
                end = first.plusMonths(1).atStartOfDay(zone);
                id = MONTH_ID.format(first);
            }
            default -> throw new IllegalStateException(kind.name());
        }
        Instant endsAt = end.toInstant();
        return new Span(id, List.of(), endsAt, endsAt);
    }

    /** The id of the window (bucket) {@code now} falls in. */
    public String idAt(Instant now) {
        return spanAt(now).id();
    }

    /** When the window (bucket) {@code now} falls in stops being the current one, or null for never. */
    public Instant endAt(Instant now) {
        return spanAt(now).endsAt();
    }

    private Span rollingSpanAt(Instant now) {
        long width = bucketSeconds();
        long bucket = Math.floorDiv(now.getEpochSecond(), width);
        String prefix = "r" + rolling.toSeconds() + "s-";
        List<String> earlier = new ArrayList<>(ROLLING_BUCKETS);
        for (long b = bucket - ROLLING_BUCKETS; b < bucket; b++) {
            earlier.add(prefix + b);
        }
        Instant endsAt = Instant.ofEpochSecond((bucket + 1) * width);
        return new Span(prefix + bucket, List.copyOf(earlier), endsAt, endsAt.plus(rolling).plusSeconds(width));
    }

    /** A rolling window's bucket width: its sixtieth, rounded up to whole seconds. */
    long bucketSeconds() {
        return Math.max(1, (rolling.toSeconds() + ROLLING_BUCKETS - 1) / ROLLING_BUCKETS);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TOTAL -> "total";
            case RUN -> "run";
            case ROLLING -> "rolling " + Durations.format(rolling);
            default -> kind.name().toLowerCase(Locale.ROOT) + " (" + zone + ")";
        };
    }
}
