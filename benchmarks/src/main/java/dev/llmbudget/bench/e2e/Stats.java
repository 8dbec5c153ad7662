package dev.llmbudget.bench.e2e;

import java.util.Arrays;

/** Order statistics of a sample, nearest-rank. */
public final class Stats {
    private Stats() {
    }

    public static long percentile(long[] sample, double percent) {
        long[] sorted = sample.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static long median(long[] sample) {
        return percentile(sample, 50);
    }
}
