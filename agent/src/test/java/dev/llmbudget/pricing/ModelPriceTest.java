package dev.llmbudget.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelPriceTest {
    /** gpt-4o list price: $2.50 in, $1.25 cached in, $10.00 out per million tokens. */
    private static final ModelPrice GPT_4O = new ModelPrice("gpt-4o", 2_500_000, 1_250_000, 2_500_000, 10_000_000, 16_384);
    /** gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out. */
    private static final ModelPrice GPT_4O_MINI = new ModelPrice("gpt-4o-mini", 150_000, 75_000, 150_000, 600_000, 16_384);
    /** Anthropic-style: cache writes cost more than input ($3.75 vs $3.00), reads less ($0.30). */
    private static final ModelPrice SONNET = new ModelPrice("claude-sonnet-4", 3_000_000, 300_000, 3_750_000, 15_000_000, 64_000);

    @Test
    void worstCaseIsInputPlusFullOutputAllowance() {
        // 1,000 in * $2.50/M = $0.0025 ; 500 out * $10/M = $0.005
        assertEquals(7_500, GPT_4O.worstCaseMicros(1_000, 500));
        assertEquals(2_500, GPT_4O.worstCaseMicros(1_000, 0));
        assertEquals(5_000, GPT_4O.worstCaseMicros(0, 500));
        assertEquals(0, GPT_4O.worstCaseMicros(0, 0));
    }

    @Test
    void fractionalMicrosRoundUp() {
        // one gpt-4o-mini input token costs 0.15 micro-USD: charged as 1, never 0
        assertEquals(1, GPT_4O_MINI.worstCaseMicros(1, 0));
        assertEquals(1, GPT_4O_MINI.actualMicros(1, 0, 0, 0));
        // 7 tokens = 1.05 micros -> 2
        assertEquals(2, GPT_4O_MINI.worstCaseMicros(7, 0));
        // exactly 1.0 micros stays 1 (no over-rounding of exact values)
        assertEquals(1, new ModelPrice("m", 1_000_000, 0, 0, 0, 0).worstCaseMicros(1, 0));
        // rounding happens once on the total, not per component: 0.6 + 0.15 = 0.75 -> 1
        assertEquals(1, GPT_4O_MINI.actualMicros(1, 0, 0, 1));
    }

    @Test
    void actualSplitsCachedInputFromUncached() {
        // 1,000 prompt tokens of which 400 cached, 100 output:
        // 600 * 2.5 + 400 * 1.25 + 100 * 10 = 1500 + 500 + 1000 = 3000 micros
        assertEquals(3_000, GPT_4O.actualMicros(1_000, 400, 0, 100));
        // nothing cached: the same as the worst case for the same counts
        assertEquals(GPT_4O.worstCaseMicros(1_000, 100), GPT_4O.actualMicros(1_000, 0, 0, 100));
    }

    @Test
    void actualChargesCacheWritesAtTheirOwnPrice() {
        // 10,000 input: 2,000 read from cache, 5,000 written, 3,000 plain; 1,000 output
        long expected = (3_000L * 3_000_000 + 2_000L * 300_000 + 5_000L * 3_750_000 + 1_000L * 15_000_000) / 1_000_000;
        assertEquals(expected, SONNET.actualMicros(10_000, 2_000, 5_000, 1_000));
        assertEquals(43_350, expected);
    }

    @Test
    void inconsistentOrNegativeCountsNeverGoNegative() {
        // more cached than total input: uncached part clamps to zero instead of going negative
        assertEquals(1_250, GPT_4O.actualMicros(500, 1_000, 0, 0));
        assertEquals(0, GPT_4O.actualMicros(-5, 0, 0, -5));
        assertEquals(0, GPT_4O.worstCaseMicros(-1_000, -1_000));
    }

    @Test
    void hugeCountsSaturateInsteadOfOverflowing() {
        long max = Long.MAX_VALUE / 1_000_000;
        assertEquals(max, GPT_4O.worstCaseMicros(Long.MAX_VALUE, 0));
        assertEquals(max, GPT_4O.worstCaseMicros(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(max, GPT_4O.worstCaseMicros(Long.MAX_VALUE / 2_500_000 + 1, Long.MAX_VALUE / 10_000_000 + 1));
        assertEquals(max, GPT_4O.actualMicros(Long.MAX_VALUE, 0, 0, Long.MAX_VALUE));
        assertTrue(GPT_4O.worstCaseMicros(Long.MAX_VALUE / 4_000_000, Long.MAX_VALUE / 40_000_000) > 0);
    }

    @Test
    void worstCaseNeverUnderEstimatesWhatTheProviderReports() {
        SplittableRandom random = new SplittableRandom(42);
        for (ModelPrice price : new ModelPrice[] {GPT_4O, GPT_4O_MINI}) {
            for (int i = 0; i < 10_000; i++) {
                long input = random.nextLong(0, 200_000);
                long cached = random.nextLong(0, input + 1);
                long allowance = random.nextLong(0, 20_000);
                long used = random.nextLong(0, allowance + 1);
                long worst = price.worstCaseMicros(input, allowance);
                long actual = price.actualMicros(input, cached, 0, used);
                assertTrue(worst >= actual, () -> price.model() + ": worst " + worst + " < actual " + actual
                        + " for input " + input + " cached " + cached + " allowance " + allowance + " used " + used);
            }
        }
    }

    @Test
    void worstCaseIsNeverBelowTheExactRationalCost() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long input = random.nextLong(0, 1_000_000);
            long output = random.nextLong(0, 100_000);
            long pico = input * GPT_4O_MINI.inputPerMTok() + output * GPT_4O_MINI.outputPerMTok();
            long micros = GPT_4O_MINI.worstCaseMicros(input, output);
            assertTrue(micros * 1_000_000 >= pico && (micros - 1) * 1_000_000 < pico,
                    () -> "not the ceiling of " + pico + " pico-USD: " + micros);
        }
    }

    @Test
    void theWorstCasePricesEveryInputTokenAtTheDearerOfInputAndCacheWrite() {
        // claude-sonnet-4's list prices: $3 in, $0.30 cache read, $3.75 cache write, $15 out
        ModelPrice sonnet = new ModelPrice("claude-sonnet-4", 3_000_000, 300_000, 3_750_000, 15_000_000, 0);
        assertEquals(1_000 * 3_750_000L / 1_000_000 + 100 * 15, sonnet.worstCaseMicros(1_000, 100));
        long allWrittenToCache = sonnet.actualMicros(1_000, 0, 1_000, 100);
        assertTrue(sonnet.worstCaseMicros(1_000, 100) >= allWrittenToCache, "the reservation covers a full cache write");
    }
}
