package dev.llmbudget.ops.report;

import java.util.Arrays;

/**
 * Amounts summed into at most {@value #SIZE} consecutive time buckets of equal width, the width doubling (two
 * buckets merged into one) whenever a time falls outside what the buckets cover. Memory stays fixed however long
 * the ledger, sums stay exact (buckets are only ever added together), and the resolution ends up a thousandth of
 * the time the amounts span: about what a chart can show. Times may arrive out of order (the ledger writes a
 * call's line when the call ends, with the time it was decided).
 */
final class TimeBuckets {
    static final int SIZE = 1024;
    private static final long FIRST_WIDTH_MILLIS = 1_000;

    private final long[] sums = new long[SIZE];
    private long width = FIRST_WIDTH_MILLIS;
    /** Start of bucket 0, epoch millis, a multiple of {@link #width}. */
    private long origin;
    /** Buckets in use: 0 to {@code used - 1}; 0 while nothing was added. */
    private int used;

    void add(long timeMillis, long amount) {
        if (used == 0) {
            origin = Math.floorDiv(timeMillis, width) * width;
        }
        while (true) {
            if (timeMillis < origin) {
                long shift = Math.floorDiv(origin - timeMillis - 1, width) + 1;
                if (used + shift <= SIZE) {
                    System.arraycopy(sums, 0, sums, (int) shift, used);
                    Arrays.fill(sums, 0, (int) shift, 0);
                    origin -= shift * width;
                    used += (int) shift;
                    continue;
                }
            } else {
                long index = (timeMillis - origin) / width;
                if (index < SIZE) {
                    sums[(int) index] = Math.addExact(sums[(int) index], amount);
                    used = Math.max(used, (int) index + 1);
                    return;
                }
            }
            coarsen();
        }
    }

    /** Doubles the width: each bucket is added into the bucket of twice the width that holds its start. */
    private void coarsen() {
        long wider = width * 2;
        long newOrigin = Math.floorDiv(origin, wider) * wider;
        long[] merged = new long[SIZE];
        int newUsed = 0;
        for (int i = 0; i < used; i++) {
            int index = (int) ((origin + i * width - newOrigin) / wider);
            merged[index] = Math.addExact(merged[index], sums[i]);
            newUsed = index + 1;
        }
        System.arraycopy(merged, 0, sums, 0, SIZE);
        origin = newOrigin;
        width = wider;
        used = newUsed;
    }

    int size() {
        return used;
    }

    long width() {
        return width;
    }

    /** Start of bucket {@code i}, epoch millis. */
    long start(int i) {
        return origin + i * width;
    }

    long sum(int i) {
        return sums[i];
    }
}
