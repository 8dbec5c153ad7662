package dev.llmbudget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BudgetWindowTest {
    private static final BudgetWindow DAY_UTC = new BudgetWindow(BudgetWindow.Kind.DAY, ZoneId.of("UTC"));
    private static final BudgetWindow DAY_TOKYO = new BudgetWindow(BudgetWindow.Kind.DAY, ZoneId.of("Asia/Tokyo"));
    private static final BudgetWindow DAY_BERLIN = new BudgetWindow(BudgetWindow.Kind.DAY, ZoneId.of("Europe/Berlin"));

    @Test
    void totalNeverEnds() {
        assertEquals("total", BudgetWindow.TOTAL.idAt(Instant.parse("2026-11-23T10:00:00Z")));
        assertEquals("total", BudgetWindow.TOTAL.idAt(Instant.parse("2031-01-01T00:00:00Z")));
        assertNull(BudgetWindow.TOTAL.endAt(Instant.parse("2026-11-23T10:00:00Z")));
        assertEquals("total", BudgetWindow.TOTAL.toString());
    }

    @Test
    void aUtcDayRunsFromMidnightToMidnightUtc() {
        assertEquals("2026-11-23", DAY_UTC.idAt(Instant.parse("2026-11-23T00:00:00Z")));
        assertEquals("2026-11-23", DAY_UTC.idAt(Instant.parse("2026-11-23T23:59:59.999Z")));
        assertEquals("2026-11-24", DAY_UTC.idAt(Instant.parse("2026-11-24T00:00:00Z")));
        assertEquals(Instant.parse("2026-11-24T00:00:00Z"), DAY_UTC.endAt(Instant.parse("2026-11-23T13:00:00Z")));
        assertEquals("day (UTC)", DAY_UTC.toString());
    }

    @Test
    void aTokyoDayRunsFromTokyoMidnight() {
        // Tokyo is UTC+9 all year: its midnight is 15:00 UTC the day before
        assertEquals("2026-11-23", DAY_TOKYO.idAt(Instant.parse("2026-11-23T14:59:59Z")));
        assertEquals("2026-11-24", DAY_TOKYO.idAt(Instant.parse("2026-11-23T15:00:00Z")));
        assertEquals("2026-11-24", DAY_TOKYO.idAt(Instant.parse("2026-11-24T00:30:00Z")));
        assertEquals(Instant.parse("2026-11-23T15:00:00Z"), DAY_TOKYO.endAt(Instant.parse("2026-11-23T03:00:00Z")));
    }

    @Test
    void aDayAcrossADaylightSavingChangeEndsAtTheNextLocalMidnight() {
        // Europe/Berlin leaves summer time on 2026-10-25: that day has 25 hours
        Instant morning = Instant.parse("2026-10-25T06:00:00Z");
        assertEquals("2026-10-25", DAY_BERLIN.idAt(morning));
        assertEquals(Instant.parse("2026-10-25T23:00:00Z"), DAY_BERLIN.endAt(morning));
        assertEquals("2026-10-26", DAY_BERLIN.idAt(Instant.parse("2026-10-25T23:00:00Z")));
    }

    @Test
    void calendarWindowsHaveReadableIdsAndEndAtTheirBoundary() {
        Instant now = Instant.parse("2026-11-23T14:05:30Z"); // a Monday
        ZoneId utc = ZoneId.of("UTC");
        assertSpan(BudgetWindow.parse("minute", utc), now, "2026-11-23T14:05", "2026-11-23T14:06:00Z");
        assertSpan(BudgetWindow.parse("hour", utc), now, "2026-11-23T14", "2026-11-23T15:00:00Z");
        assertSpan(BudgetWindow.parse("day", utc), now, "2026-11-23", "2026-11-24T00:00:00Z");
        assertSpan(BudgetWindow.parse("week", utc), now, "2026-W48", "2026-11-30T00:00:00Z");
        assertSpan(BudgetWindow.parse("month", utc), now, "2026-11", "2026-12-01T00:00:00Z");
        assertEquals("total", BudgetWindow.parse("TOTAL", utc).idAt(now));
    }

    @Test
    void aWeekStartsOnMondayInTheBudgetsZone() {
        BudgetWindow week = BudgetWindow.parse("week", ZoneId.of("Asia/Tokyo"));
        // Sunday 2026-11-29 20:00 UTC is already Monday 05:00 in Tokyo: the next week
        assertEquals("2026-W49", week.idAt(Instant.parse("2026-11-29T20:00:00Z")));
        assertEquals("2026-W48", week.idAt(Instant.parse("2026-11-29T14:59:59Z")));
        // ISO week-based year: 2027-01-01 (a Friday) is in week 53 of 2026
        assertEquals("2026-W53", BudgetWindow.parse("week", ZoneId.of("UTC")).idAt(Instant.parse("2027-01-01T12:00:00Z")));
    }

    @Test
    void anHourAcrossADaylightSavingChangeIsOneRealHour() {
        BudgetWindow hour = BudgetWindow.parse("hour", ZoneId.of("Europe/Berlin"));
        // 02:00-03:00 happens twice on 2026-10-25 in Berlin; each is its own window of one hour
        Instant firstTwo = Instant.parse("2026-10-25T00:30:00Z");
        Instant secondTwo = Instant.parse("2026-10-25T01:30:00Z");
        assertEquals(Instant.parse("2026-10-25T01:00:00Z"), hour.endAt(firstTwo));
        assertEquals(Instant.parse("2026-10-25T02:00:00Z"), hour.endAt(secondTwo));
    }

    @Test
    void aRollingWindowCountsSixtyEarlierBucketsSoItNeverForgetsSpendEarly() {
        BudgetWindow rolling = BudgetWindow.parse("rolling-24h", ZoneId.of("UTC"));
        assertEquals(1_440, rolling.bucketSeconds(), "24h / 60 = 24 minutes");
        Instant now = Instant.parse("2026-11-23T14:05:30Z");
        BudgetWindow.Span span = rolling.spanAt(now);
        long bucket = now.getEpochSecond() / 1_440;
        assertEquals("r86400s-" + bucket, span.id());
        assertEquals(60, span.earlierIds().size());
        assertEquals("r86400s-" + (bucket - 60), span.earlierIds().get(0));
        assertEquals("r86400s-" + (bucket - 1), span.earlierIds().get(59));
        // the oldest bucket counted began more than 24h ago: spend of the whole last 24h is in
        Instant oldestStart = Instant.ofEpochSecond((bucket - 60) * 1_440);
        assertTrue(oldestStart.isBefore(now.minus(Duration.ofHours(24))));
        assertEquals(Instant.ofEpochSecond((bucket + 1) * 1_440), span.endsAt());
        assertTrue(span.expiresAt().isAfter(span.endsAt().plus(Duration.ofHours(24))), "kept while a later window counts it");
        assertEquals("rolling 24h", rolling.toString());
    }

    @Test
    void windowValuesThatAreNotWindowsSayWhatIsExpected() {
        ZoneId utc = ZoneId.of("UTC");
        IllegalArgumentException weekly = assertThrows(IllegalArgumentException.class, () -> BudgetWindow.parse("weekly", utc));
        assertTrue(weekly.getMessage().contains("rolling-<duration>"), weekly.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BudgetWindow.parse("rolling-", utc));
        assertThrows(IllegalArgumentException.class, () -> BudgetWindow.parse("rolling-10x", utc));
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class, () -> BudgetWindow.parse("rolling-30s", utc));
        assertTrue(tooShort.getMessage().contains("at least 1m"));
        assertEquals(Duration.ofMinutes(90), BudgetWindow.parse("rolling-90m", utc).rolling());
        assertEquals(Duration.ofDays(7), BudgetWindow.parse("rolling-P7D", utc).rolling());
    }

    private static void assertSpan(BudgetWindow window, Instant now, String id, String end) {
        BudgetWindow.Span span = window.spanAt(now);
        assertEquals(id, span.id(), window.toString());
        assertEquals(Instant.parse(end), span.endsAt(), window.toString());
        assertEquals(span.endsAt(), span.expiresAt(), "a calendar window is forgotten when it ends");
        assertEquals(List.of(), span.earlierIds());
    }
}
