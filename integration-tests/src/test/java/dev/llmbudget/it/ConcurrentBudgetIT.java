package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 threads race on one budget through the real SDK. Check-then-record would let every thread pass
 * the check before any records; reserve-then-settle must keep the settled total within the limit.
 */
class ConcurrentBudgetIT {
    private static final int THREADS = 32;
    private static final int CALLS_PER_THREAD = 10;
    private static final long LIMIT_MICROS = 100_000; // $0.10

    @TempDir
    Path dir;

    @Test
    void thirtyTwoThreadsRacingOnOneBudgetNeverSettleMoreThanItsLimit() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            // gpt-4o: each call reserves ~$0.01 (1,000 output tokens at $10/M) and settles at $0.00504 (15 in, 500 out)
            fake.reportUsage(new FakeOpenAi.ReportedUsage(15, 0, 500, 0));
            Path config = AgentConfigFile.write(dir, "budget.shared.limit-usd=0.10");

            ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .run(OpenAiHost.class, "race", "gpt-4o", "1000", String.valueOf(THREADS), String.valueOf(CALLS_PER_THREAD));

            Matcher race = Pattern.compile("RACE ok=(\\d+) refused=(\\d+) errors=(\\d+)").matcher(result.line("RACE"));
            assertTrue(race.matches(), result::toString);
            int admitted = Integer.parseInt(race.group(1));
            int refused = Integer.parseInt(race.group(2));
            assertEquals(0, Integer.parseInt(race.group(3)), result::toString);
            assertEquals(THREADS * CALLS_PER_THREAD, admitted + refused);

            List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
            long settled = Ledger.sum(ledger, "settledMicroUsd");
            long oneCall = Ledger.withOutcome(ledger, "settled").get(0).path("settledMicroUsd").asLong();
            long oneReservation = Ledger.withOutcome(ledger, "settled").get(0).path("reservedMicroUsd").asLong();
            System.out.printf("concurrency: limit %d µUSD, settled %d µUSD, admitted %d, refused %d, provider received %d"
                            + " (one call: reserved %d, settled %d µUSD)%n",
                    LIMIT_MICROS, settled, admitted, refused, fake.requestCount(), oneReservation, oneCall);

            assertTrue(settled <= LIMIT_MICROS, "settled " + settled + " µUSD > limit " + LIMIT_MICROS);
            assertEquals(admitted, fake.requestCount(), "every admitted call reached the provider, no refused one did");
            assertEquals(admitted, Ledger.withOutcome(ledger, "settled").size());
            assertEquals(refused, Ledger.withOutcome(ledger, "refused").size());
            // nothing lost to leaked holds: the budget is used up to less than one reservation of the limit
            assertTrue(LIMIT_MICROS - settled < oneReservation,
                    "only " + settled + " of " + LIMIT_MICROS + " µUSD used; a reservation is " + oneReservation);
        }
    }
}
