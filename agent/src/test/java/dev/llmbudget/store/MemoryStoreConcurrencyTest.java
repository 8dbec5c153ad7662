package dev.llmbudget.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Parallel callers can never push an account past its limit. Asserts invariants, never timing. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MemoryStoreConcurrencyTest {
    private static final int THREADS = 16;

    @Test
    void racingReservesGrantExactlyWhatFits() throws Exception {
        MemoryStore store = new MemoryStore();
        AccountRef account = new AccountRef("shared", "shared/global/total", 10_000, 0);
        long amount = 7;
        AtomicLong granted = new AtomicLong();

        ConcurrentWorkers.runTogether(THREADS, 15, thread -> {
            for (int i = 0; i < 2_000; i++) {
                if (store.reserve(thread + "-" + i, List.of(account), amount) instanceof ReserveResult.Granted) {
                    granted.incrementAndGet();
                }
            }
        });

        assertEquals(10_000 / amount, granted.get(), "every reservation that fits, and not one more");
        assertEquals(new Balance(0, 10_000 / amount * amount), store.balance(account));
    }

    @Test
    void reservedPlusSpentNeverExceedsTheLimitWhileCallsSettleAndRelease() throws Exception {
        MemoryStore store = new MemoryStore();
        long limit = 50_000;
        AccountRef account = new AccountRef("shared", "shared/global/total", limit, 0);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong settledByCallers = new AtomicLong();
        AtomicLong violations = new AtomicLong();
        List<Balance> firstViolations = new java.util.concurrent.CopyOnWriteArrayList<>();

        Thread watcher = new Thread(() -> {
            while (running.get()) {
                Balance balance = store.balance(account);
                if ((balance.spentMicros() + balance.heldMicros() > limit || balance.heldMicros() < 0)
                        && violations.incrementAndGet() <= 5) {
                    firstViolations.add(balance);
                }
            }
        });
        watcher.start();
        try {
            ConcurrentWorkers.runTogether(THREADS, 15, thread -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 3_000; i++) {
                    long worstCase = random.nextLong(1, 200);
                    ReserveResult result = store.reserve(thread + "-" + i, List.of(account), worstCase);
                    if (result instanceof ReserveResult.Granted grantedResult) {
                        if (random.nextInt(4) == 0) {
                            store.release(grantedResult.reservation());
                        } else {
                            long actual = random.nextLong(0, worstCase + 1); // never above the worst case
                            store.settle(grantedResult.reservation(), actual);
                            settledByCallers.addAndGet(actual);
                        }
                    } else {
                        ReserveResult.Denied denied = (ReserveResult.Denied) result;
                        Balance seen = denied.balance();
                        assertTrue(seen.spentMicros() + seen.heldMicros() + worstCase > limit,
                                "refused although it fitted: " + seen + " + " + worstCase);
                    }
                }
            });
        } finally {
            running.set(false);
            watcher.join();
        }

        assertEquals(0, violations.get(), () -> "spent + held exceeded the limit (or held went negative), first: " + firstViolations);
        Balance end = store.balance(account);
        assertEquals(0, end.heldMicros(), "every hold was settled or released");
        assertEquals(settledByCallers.get(), end.spentMicros(), "no settlement was lost");
        assertTrue(end.spentMicros() <= limit);
    }

    @Test
    void callsUnderSeveralBudgetsInDifferentOrdersNeitherDeadlockNorOverspend() throws Exception {
        MemoryStore store = new MemoryStore();
        AccountRef a = new AccountRef("a", "a/global/total", 3_000, 0);
        AccountRef b = new AccountRef("b", "b/global/total", 2_000, 0);
        AccountRef c = new AccountRef("c", "c/global/total", 4_000, 0);
        List<List<AccountRef>> orders = List.of(List.of(a, b), List.of(b, a), List.of(c, b, a), List.of(a, c), List.of(c));
        java.util.Map<AccountRef, AtomicLong> grantedIn = java.util.Map.of(a, new AtomicLong(), b, new AtomicLong(),
                c, new AtomicLong());

        ConcurrentWorkers.runTogether(THREADS, 15, thread -> {
            for (int i = 0; i < 2_000; i++) {
                List<AccountRef> refs = orders.get((thread + i) % orders.size());
                if (store.reserve(thread + "-" + i, refs, 3) instanceof ReserveResult.Granted) {
                    refs.forEach(ref -> grantedIn.get(ref).incrementAndGet());
                }
            }
        });

        for (AccountRef ref : List.of(a, b, c)) {
            Balance balance = store.balance(ref);
            assertTrue(balance.heldMicros() <= ref.limitMicros(), ref + " holds " + balance);
            // a refused call left no partial hold behind, and no granted hold was lost
            assertEquals(3 * grantedIn.get(ref).get(), balance.heldMicros(), ref.toString());
        }
    }

}
