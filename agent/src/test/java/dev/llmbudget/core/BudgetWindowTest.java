package dev.llmbudget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
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
}
