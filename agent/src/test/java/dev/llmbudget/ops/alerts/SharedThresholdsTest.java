package dev.llmbudget.ops.alerts;

import static dev.llmbudget.ops.alerts.Receiver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmbudget.core.Alert;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.Partition;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.store.journal.JournalStore;
import dev.llmbudget.store.redis.RedisOptions;
import dev.llmbudget.store.redis.RedisStore;
import dev.llmbudget.store.redis.TestRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thresholds claimed in the store: two JVMs spending one Redis budget, each with its own watch, fire a threshold in
 * the JVM that first sees it crossed and never again in the other, whose own memory has not seen it; a JVM restarted
 * on the journal does not fire again what the one before it fired.
 */
class SharedThresholdsTest {
    private static final long DOLLAR = 1_000_000;

    private final String prefix = "llmb-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    @AutoClose
    final Closer closer = new Closer();
    private final List<Alert> raisedInA = new CopyOnWriteArrayList<>();
    private final List<Alert> raisedInB = new CopyOnWriteArrayList<>();

    @AfterEach
    void deleteKeys() {
        TestRedis.deleteAll(prefix);
    }

    private RedisStore store() {
        return closer.add(new RedisStore(RedisOptions.of(TestRedis.url()).withKeyPrefix(prefix).withTimeout(Duration.ofSeconds(1))));
    }

    @Test
    void eachThresholdFiresInOneJvmOnly() throws Exception {
        BudgetSpec daily = Calls.budget("daily", DOLLAR, "day", Partition.GLOBAL);
        Instant now = Clock.systemUTC().instant();
        AccountRef account = Calls.account(daily, "global", now);
        RedisStore storeA = store();
        RedisStore storeB = store();
        List<ThresholdWatch.Watched> watched = List.of(new ThresholdWatch.Watched(daily, List.of(5000, 8000)));
        ThresholdWatch jvmA = closer.add(ThresholdWatch.start(storeA, raisedInA::add, watched, Clock.systemUTC()));
        ThresholdWatch jvmB = closer.add(ThresholdWatch.start(storeB, raisedInB::add, watched, Clock.systemUTC()));

        spend(jvmA, storeA, account, 600_000, now);
        spend(jvmB, storeB, account, 100_000, now);
        spend(jvmB, storeB, account, 200_000, now);
        spend(jvmA, storeA, account, 10_000, now);

        assertEquals(List.of(5000), raisedInA.stream().map(Alert::thresholdBasisPoints).toList(),
                "A crossed 50%, and B's 80% is not A's to fire: " + raisedInA);
        assertEquals(List.of(8000), raisedInB.stream().map(Alert::thresholdBasisPoints).toList(),
                "B first saw 70%: 50% was A's: " + raisedInB);
    }

    @Test
    void aThresholdFiredBeforeARestartOnTheJournalDoesNotFireAgain(@TempDir Path dir) throws Exception {
        BudgetSpec daily = Calls.budget("daily", DOLLAR, "day", Partition.GLOBAL);
        Instant now = Clock.systemUTC().instant();
        AccountRef account = Calls.account(daily, "global", now);
        List<ThresholdWatch.Watched> watched = List.of(new ThresholdWatch.Watched(daily, List.of(5000, 8000)));
        Path journal = dir.resolve("spend.journal");

        try (JournalStore before = JournalStore.open(journal, Duration.ofMillis(100), false, Clock.systemUTC());
             ThresholdWatch watch = ThresholdWatch.start(before, raisedInA::add, watched, Clock.systemUTC())) {
            spend(watch, before, account, 600_000, now);
        }
        try (JournalStore after = JournalStore.open(journal, Duration.ofMillis(100), false, Clock.systemUTC());
             ThresholdWatch watch = ThresholdWatch.start(after, raisedInB::add, watched, Clock.systemUTC())) {
            spend(watch, after, account, 100_000, now);
            assertEquals(List.of(), raisedInB, "50% fired before the restart");
            spend(watch, after, account, 100_000, now);
            assertEquals(List.of(8000), raisedInB.stream().map(Alert::thresholdBasisPoints).toList());
        }
        assertEquals(List.of(5000), raisedInA.stream().map(Alert::thresholdBasisPoints).toList());
    }

    private static void spend(ThresholdWatch watch, SpendStore store, AccountRef account, long micros, Instant at)
            throws InterruptedException {
        watch.record(Calls.charge(store, account, micros, at, null));
        await("the watch to check what is dirty", 10, watch::idle);
    }
}
