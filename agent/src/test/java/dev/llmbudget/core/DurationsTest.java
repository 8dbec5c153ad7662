package dev.llmbudget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void shortFormsAndIsoFormsParse() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse(" 30s "));
        assertEquals(Duration.ofMinutes(10), Durations.parse("10M"));
        assertEquals(Duration.ofHours(24), Durations.parse("24h"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
    }

    @Test
    void anythingElseIsRefusedWithTheFormsExpected() {
        for (String bad : new String[] {"", "ten seconds", "10 s", "-5s", "PT-5S", "1w"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
            assertEquals(true, e.getMessage().contains("500ms, 30s, 10m"), e.getMessage());
        }
    }

    @Test
    void formatPicksTheLargestExactUnit() {
        assertEquals("24h", Durations.format(Duration.ofHours(24)));
        assertEquals("7d", Durations.format(Duration.ofDays(7)));
        assertEquals("90m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("36h", Durations.format(Duration.ofHours(36)));
        assertEquals("45s", Durations.format(Duration.ofSeconds(45)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
    }
}
