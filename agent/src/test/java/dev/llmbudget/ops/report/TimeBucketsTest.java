package dev.llmbudget.ops.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TimeBucketsTest {
    private static long sum(TimeBuckets buckets) {
        long sum = 0;
        for (int i = 0; i < buckets.size(); i++) {
            sum += buckets.sum(i);
        }
        return sum;
    }

    @Test
    void amountsLandInTheBucketOfTheirTime() {
        TimeBuckets buckets = new TimeBuckets();
        buckets.add(10_500, 7);
        buckets.add(12_000, 5);
        buckets.add(12_999, 1);

        assertEquals(1_000, buckets.width());
        assertEquals(3, buckets.size());
        assertEquals(10_000, buckets.start(0));
        assertEquals(7, buckets.sum(0));
        assertEquals(0, buckets.sum(1));
        assertEquals(6, buckets.sum(2));
    }

    @Test
    void aLongSpanWidensTheBucketsAndKeepsEverySumExact() {
        TimeBuckets buckets = new TimeBuckets();
        Random random = new Random(42);
        long total = 0;
        long base = 1_795_000_000_000L;
        for (int i = 0; i < 100_000; i++) {
            // out of order, over thirty days, before and after the first time
            long time = base + random.nextLong(-15 * 86_400_000L, 15 * 86_400_000L);
            long amount = random.nextLong(1, 50_000_000);
            buckets.add(time, amount);
            total += amount;
        }

        assertEquals(total, sum(buckets));
        assertTrue(buckets.size() <= TimeBuckets.SIZE);
        assertTrue(buckets.width() * TimeBuckets.SIZE >= 30 * 86_400_000L, "covers the span");
        assertTrue(buckets.width() < 30 * 86_400_000L / 256, "still fine enough to chart: " + buckets.width());
        assertEquals(0, buckets.start(0) % buckets.width());
    }

    @Test
    void anEarlierTimeShiftsTheBucketsWithoutMovingTheirSums() {
        TimeBuckets buckets = new TimeBuckets();
        buckets.add(100_000, 3);
        buckets.add(95_500, 4);

        assertEquals(95_000, buckets.start(0));
        assertEquals(4, buckets.sum(0));
        assertEquals(3, buckets.sum(5));
        assertEquals(6, buckets.size());
    }
}
