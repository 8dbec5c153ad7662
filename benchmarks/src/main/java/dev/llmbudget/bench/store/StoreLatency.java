package dev.llmbudget.bench.store;

import dev.llmbudget.bench.e2e.Stats;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SpendStore;
import java.util.List;

/**
 * A store on its own, in this JVM: one thread reserves and settles, as a call under a day budget and a
 * total budget does, and each pair is timed. Shows what the journal (a line written per event, fsync
 * batched) and Redis (one script per event, over loopback) cost beside the in-memory store, without the
 * noise of the end-to-end runs.
 */
public final class StoreLatency {
    private StoreLatency() {
    }

    /** Median and 99th percentile of one reserve + settle, nanoseconds. */
    public record Result(long medianNanos, long p99Nanos) {
    }

    public static Result measure(SpendStore store, int warmup, int measured) {
        long expiresAt = System.currentTimeMillis() + 3_600_000;
        List<AccountRef> accounts = List.of(new AccountRef("bench-day", "bench-day/global/today", Long.MAX_VALUE / 4, expiresAt),
                new AccountRef("bench-total", "bench-total/global/total", Long.MAX_VALUE / 4, expiresAt));
        String prefix = Long.toHexString(System.nanoTime()) + "-";
        for (int i = 0; i < warmup; i++) {
            pair(store, prefix + "w" + i, accounts);
        }
        long[] sample = new long[measured];
        for (int i = 0; i < measured; i++) {
            long start = System.nanoTime();
            pair(store, prefix + i, accounts);
            sample[i] = System.nanoTime() - start;
        }
        return new Result(Stats.median(sample), Stats.percentile(sample, 99));
    }

    private static void pair(SpendStore store, String id, List<AccountRef> accounts) {
        ReserveResult result = store.reserve(id, accounts, 1_000);
        if (!(result instanceof ReserveResult.Granted granted)) {
            throw new IllegalStateException("the benchmark's reservation was not granted: " + result);
        }
        Reservation reservation = granted.reservation();
        store.settle(reservation, 600);
    }
}
