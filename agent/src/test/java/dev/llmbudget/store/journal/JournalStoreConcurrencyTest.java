package dev.llmbudget.store.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.ConcurrentWorkers;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SpendStore.AccountBalance;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel callers never push an account past its limit, and what the journal replays after they are
 * done, with compactions running all along, is exactly what the store held in memory. Asserts
 * invariants, never timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalStoreConcurrencyTest {
    private static final int THREADS = 16;
    private static final long LIMIT = 500_000;

    @TempDir
    Path dir;

    @Test
    void racingCallsStayWithinTheLimitAndReplayEqualsMemory() throws Exception {
        Path journal = dir.resolve("llm-budget.journal");
        JournalStore store = JournalStore.open(journal, Duration.ofMillis(5), false, Clock.systemUTC());
        AccountRef shared = new AccountRef("shared", "shared/global/total", LIMIT, 0);
        AccountRef[] pairs = {new AccountRef("team-a", "team-a/global/total", LIMIT / 2, 0),
                new AccountRef("team-b", "team-b/global/total", LIMIT / 2, 0)};
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong settledByCallers = new AtomicLong();
        AtomicLong denied = new AtomicLong();
        List<Balance> violations = new CopyOnWriteArrayList<>();

        Thread watcher = new Thread(() -> {
            while (running.get()) {
                for (AccountRef ref : List.of(shared, pairs[0], pairs[1])) {
                    Balance balance = store.balance(ref);
                    if (balance.spentMicros() + balance.heldMicros() > ref.limitMicros() || balance.heldMicros() < 0) {
                        violations.add(balance);
                    }
                }
            }
        });
        Thread compactor = new Thread(() -> {
            while (running.get()) {
                store.compact(); // an event appended meanwhile must not be lost
            }
        });
        watcher.start();
        compactor.start();
        try {
            ConcurrentWorkers.runTogether(THREADS, 45, thread -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 1_500; i++) {
                    long worstCase = random.nextLong(1, 200);
                    List<AccountRef> refs = random.nextBoolean() ? List.of(shared) : List.of(pairs[thread % 2], shared);
                    ReserveResult result = store.reserve(thread + "-" + i, refs, worstCase);
                    if (result instanceof ReserveResult.Granted granted) {
                        if (random.nextInt(4) == 0) {
                            store.release(granted.reservation());
                        } else {
                            long actual = random.nextLong(0, worstCase + 1);
                            store.settle(granted.reservation(), actual);
                            settledByCallers.addAndGet(actual);
                        }
                    } else {
                        denied.incrementAndGet();
                    }
                }
            });
        } finally {
            running.set(false);
            watcher.join();
            compactor.join();
        }

        assertEquals(List.of(), violations.subList(0, Math.min(5, violations.size())), "spent + held over the limit");
        assertEquals(new Balance(settledByCallers.get(), 0), store.balance(shared), "no settlement lost, nothing left held");
        List<AccountBalance> inMemory = store.accounts();
        store.close();

        assertEquals(inMemory, JournalStore.read(journal, Clock.systemUTC()));
        JournalStore reopened = JournalStore.open(journal, Duration.ofMillis(5), false, Clock.systemUTC());
        try {
            assertEquals(inMemory, reopened.accounts());
            assertEquals(List.of(), reopened.openWarnings());
        } finally {
            reopened.close();
        }
        assertTrue(denied.get() > 0, "the limits were reached");
    }

}
