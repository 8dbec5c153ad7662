package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.SpendHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.IncidentRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loop on a large daily budget ($100) that the budget alone would let run for hours: unlimited, it runs
 * until its time box; with {@code limits.burn-rate.usd-per-minute} it is stopped within seconds.
 */
class BurnRateIT {
    private static final long DAILY_MICROS = 100_000_000;
    private static final long BURN_MICROS_PER_MINUTE = 2_000;
    private static final long TIME_BOX_SECONDS = 5;
    private static final List<String> DAILY = List.of("budget.daily.limit-usd=" + IncidentRun.usd(DAILY_MICROS), "budget.daily.window=day");

    @TempDir
    Path dir;

    @Test
    void aLoopOnALargeDailyBudgetIsStoppedWithinSecondsByTheBurnRate() throws Exception {
        IncidentRun unlimited;
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            unlimited = IncidentRun.run(dir, "unlimited", fake, DAILY, SpendHost.class, "for-seconds", String.valueOf(TIME_BOX_SECONDS));
        }
        IncidentRun limited;
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            List<String> config = new ArrayList<>(DAILY);
            config.add("limits.burn-rate.usd-per-minute=" + IncidentRun.usd(BURN_MICROS_PER_MINUTE));
            // a time box far longer than the stop should take: the burn rate, not the box, must end it
            limited = IncidentRun.run(dir, "limited", fake, config, SpendHost.class, "for-seconds", "25");
        }

        assertTrue(unlimited.result().callsWith("refused").isEmpty(), unlimited::toString);
        assertEquals(unlimited.admitted().size(), unlimited.providerRequests(), unlimited::toString);
        List<String> calls = limited.result().calls();
        assertEquals(1, limited.result().callsWith("refused").size(), limited::toString);
        assertTrue(calls.get(calls.size() - 1).startsWith("CALL refused "), "the refusal ended the loop: " + limited);
        assertEquals("dev.llmbudget.BurnRateExceededException", limited.stoppedBy(), limited::toString);
        assertEquals("limits.burn-rate.usd-per-minute", limited.rule(), limited::toString);
        long stoppedAfterMillis = timeOf(calls.get(calls.size() - 1)) - timeOf(calls.get(0));
        assertTrue(stoppedAfterMillis < 15_000, "stopped within seconds: " + stoppedAfterMillis + " ms");
        assertEquals(limited.admitted().size(), limited.providerRequests(), "the refused call reached no provider");
        assertTrue(limited.settledMicros() <= BURN_MICROS_PER_MINUTE, "spend of the minute within the burn rate: " + limited.settledMicros());
        assertTrue(limited.settledMicros() < DAILY_MICROS / 1000, "a thousandth of the daily budget at most");
        JsonNode refusal = limited.refused().get(0);
        assertEquals("limits.burn-rate.usd-per-minute", refusal.path("rule").asText(), refusal::toString);

        long perCall = unlimited.settledMicros() / unlimited.admitted().size();
        long dailyAloneCalls = DAILY_MICROS / perCall;
        // the box starts after the first call
        double callsPerSecond = (unlimited.admitted().size() - 1) / (double) TIME_BOX_SECONDS;
        IncidentRun.report("burn-rate", unlimited, limited, String.format(
                "stopped-after=%d ms (unlimited: %d s time box); the $100 daily budget alone: %d calls, %.1f h at the unlimited rate",
                stoppedAfterMillis, TIME_BOX_SECONDS, dailyAloneCalls, dailyAloneCalls / callsPerSecond / 3600));
    }

    /** The time a SpendHost CALL line carries (its third field). */
    private static long timeOf(String call) {
        return Long.parseLong(call.split(" ")[2]);
    }
}
