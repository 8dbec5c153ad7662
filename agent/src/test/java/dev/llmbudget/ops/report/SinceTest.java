package dev.llmbudget.ops.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SinceTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void anInstantWithAnyOffset() {
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), Since.parse("2026-11-23T10:00:00Z", NOW));
        assertEquals(Instant.parse("2026-11-23T09:00:00Z"), Since.parse("2026-11-23T10:00:00+01:00", NOW));
        assertEquals(Instant.parse("2026-11-23T10:00:00.250Z"), Since.parse("2026-11-23T10:00:00.250Z", NOW));
    }

    @Test
    void aDateIsItsStartInUtc() {
        assertEquals(Instant.parse("2026-11-23T00:00:00Z"), Since.parse("2026-11-23", NOW));
    }

    @Test
    void aDurationCountsBackFromNow() {
        assertEquals(Instant.parse("2026-11-23T12:00:00Z"), Since.parse("24h", NOW));
        assertEquals(Instant.parse("2026-11-17T12:00:00Z"), Since.parse("7d", NOW));
        assertEquals(Instant.parse("2026-11-24T11:30:00Z"), Since.parse("30m", NOW));
        assertEquals(Instant.parse("2026-11-24T11:59:30Z"), Since.parse("PT30S", NOW));
    }

    @Test
    void anythingElseNamesTheFormsAccepted() {
        for (String bad : new String[] {"yesterday", "2026-13-01", "2026-11-23T25:00:00Z", "2026-11-23T10:00", "-1h", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Since.parse(bad, NOW), bad);
            assertTrue(e.getMessage().contains("is not an instant (2026-11-23T10:00:00Z), a date (2026-11-23"), e.getMessage());
        }
    }
}
