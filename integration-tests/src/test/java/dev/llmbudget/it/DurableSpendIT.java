package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.SpendHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import dev.llmbudget.it.support.SpendCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal store (the default) keeps spend across a {@code kill -9}: settled spend is never lost, and
 * a reservation whose JVM died mid-call is charged in full when the journal is replayed. The
 * {@code spend} command reads the journal of a stopped JVM without changing it.
 */
class DurableSpendIT {
    @TempDir
    Path dir;

    private Path config() throws Exception {
        return AgentConfigFile.write(dir, "budget.daily.limit-usd=10", "budget.daily.window=day");
    }

    /** One call's reservation and settled cost (every SpendHost call is the same), from a run's ledger. */
    private static long[] reservedAndSettled(Path ledgerFile) throws Exception {
        List<JsonNode> settled = Ledger.withOutcome(Ledger.read(ledgerFile), "settled");
        JsonNode last = settled.get(settled.size() - 1);
        return new long[] {last.path("reservedMicroUsd").asLong(), last.path("settledMicroUsd").asLong()};
    }

    @Test
    void killedWithCallsInFlightTheRestartKeepsSettledSpendAndChargesTheOpenReservationsInFull() throws Exception {
        Path config = config();
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            fake.reportUsage(new FakeOpenAi.ReportedUsage(20, 0, 100, 0));
            fake.answerOnlyFirst(5);
            try (ChildJvm.Running child = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .start(SpendHost.class, "sequential", "5", "parallel", "3", "idle")) {
                // five calls settled, three sent and held by the provider: reserved in the journal, never settled
                child.await("5 settled calls and 3 in flight", 60, () -> child.countLines("CALL ok") == 5 && fake.requestCount() == 8);
                child.kill9();
            }

            Map<String, SpendCommand.Account> afterKill = SpendCommand.accounts(config);
            long spentBefore = SpendCommand.totalSpent(afterKill);
            long heldAtKill = SpendCommand.totalHeld(afterKill);

            fake.answerOnlyFirst(Integer.MAX_VALUE);
            ChildJvm.Result restarted = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .run(SpendHost.class, "sequential", "1");
            assertEquals(1, restarted.callsWith("ok").size(), restarted::toString);
            long[] oneCall = reservedAndSettled(AgentConfigFile.ledger(dir));
            long reserved = oneCall[0];
            long settled = oneCall[1];
            assertTrue(settled > 0 && reserved > settled, "reserved " + reserved + ", settled " + settled);

            assertEquals(5 * settled, spentBefore, "the five settled calls, nothing lost to kill -9: " + afterKill);
            assertEquals(3 * reserved, heldAtKill, "the three calls in flight, still held: " + afterKill);
            assertTrue(restarted.stderr().contains("3 reservation(s) left open"), restarted::toString);

            Map<String, SpendCommand.Account> afterRestart = SpendCommand.accounts(config);
            assertEquals(5 * settled + 3 * reserved + settled, SpendCommand.totalSpent(afterRestart),
                    "settled before + the open reservations in full + the new call: " + afterRestart);
            assertEquals(0, SpendCommand.totalHeld(afterRestart));
            System.out.printf("kill -9: settled before %d µUSD, held at kill %d µUSD (3 x %d), after restart + 1 call %d µUSD%n",
                    spentBefore, heldAtKill, reserved, SpendCommand.totalSpent(afterRestart));
        }
    }

    @Test
    void killedAtAnyMomentNoSettledSpendIsLost() throws Exception {
        Path config = config();
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            fake.reportUsage(new FakeOpenAi.ReportedUsage(20, 0, 100, 0));
            long printedOk;
            try (ChildJvm.Running child = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .start(SpendHost.class, "loop", "8", "100000")) {
                child.await("calls under way", 60, () -> child.countLines("CALL ok") >= 50);
                Thread.sleep(ThreadLocalRandom.current().nextInt(10, 400));
                child.kill9();
                printedOk = child.countLines("CALL ok");
            }
            Map<String, SpendCommand.Account> afterKill = SpendCommand.accounts(config);

            ChildJvm.Result restarted = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .run(SpendHost.class, "sequential", "1");
            long[] oneCall = reservedAndSettled(AgentConfigFile.ledger(dir));
            long settled = oneCall[1];
            long spentAtKill = SpendCommand.totalSpent(afterKill);
            assertTrue(spentAtKill >= printedOk * settled,
                    "every call the application saw answered was settled in the journal: " + printedOk + " x " + settled
                            + " > " + spentAtKill);
            Map<String, SpendCommand.Account> afterRestart = SpendCommand.accounts(config);
            assertEquals(spentAtKill + SpendCommand.totalHeld(afterKill) + settled, SpendCommand.totalSpent(afterRestart),
                    "replay charged every open reservation in full: " + afterKill + " -> " + afterRestart + "\n" + restarted);
        }
    }

    @Test
    void aSecondJvmOnTheSameJournalIsRefusedWithAClearMessageAndTheFirstKeepsGoing() throws Exception {
        Path config = config();
        try (FakeOpenAi fake = FakeOpenAi.start();
             ChildJvm.Running first = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                     .start(SpendHost.class, "sequential", "1", "idle")) {
            first.await("the first JVM's call", 60, () -> first.countLines("CALL ok") == 1);

            ChildJvm.Result second = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .run(SpendHost.class, "sequential", "1");

            assertEquals(1, second.callsWith("refused").size(), second::toString);
            assertTrue(second.stderr().contains("in use by another JVM"), second::toString);
            assertTrue(second.stderr().contains("store.journal.path"), second::toString);
            assertEquals(1, fake.requestCount(), "the second JVM sent nothing");
        }
    }
}
