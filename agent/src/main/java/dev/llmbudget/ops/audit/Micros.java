package dev.llmbudget.ops.audit;

import dev.llmbudget.pricing.Money;

/**
 * The audit's arithmetic on micro-USD and token counts: {@code long} only, products checked with
 * {@link Math#multiplyExact} and saturated at {@link #OVERFLOW}, and {@link #UNCAPPED} for a figure no
 * configured cap bounds (it absorbs products and loses every {@code min}).
 */
final class Micros {
    /** No cap bounds this figure. */
    static final long UNCAPPED = -1;
    /** The figure is beyond a {@code long} of micro-USD (about $9.2 trillion): shown as such, never wrapped. */
    static final long OVERFLOW = Long.MAX_VALUE;

    private Micros() {
    }

    static long times(long a, long b) {
        if (a == UNCAPPED || b == UNCAPPED) {
            return UNCAPPED;
        }
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return OVERFLOW;
        }
    }

    static long min(long a, long b) {
        if (a == UNCAPPED) {
            return b;
        }
        return b == UNCAPPED ? a : Math.min(a, b);
    }

    /** {@code a > b}, an uncapped figure being above every capped one. */
    static boolean above(long a, long b) {
        if (a == UNCAPPED) {
            return b != UNCAPPED;
        }
        return b != UNCAPPED && a > b;
    }

    /** Whether {@code part} is more than a tenth of {@code whole}: {@code part × 10 > whole}, exactly. */
    static boolean overTenPercent(long part, long whole) {
        return above(times(part, 10), whole);
    }

    /** {@code part} as a whole percentage of {@code whole} (rounded down), or a word when it is not a number. */
    static String percent(long part, long whole) {
        if (part == UNCAPPED) {
            return "an uncapped share";
        }
        long hundredfold = times(part, 100);
        if (hundredfold == OVERFLOW || whole == 0) {
            return "more than 100%";
        }
        return hundredfold / whole + "%";
    }

    static String usd(long micros) {
        if (micros == UNCAPPED) {
            return "UNCAPPED";
        }
        return micros == OVERFLOW ? "over " + Money.format(OVERFLOW) + " (overflow)" : Money.format(micros);
    }

    static String count(long n) {
        if (n == UNCAPPED) {
            return "uncapped";
        }
        return n == OVERFLOW ? "overflow" : Long.toString(n);
    }

    /** A price in micro-USD per million tokens as {@code $2.50/M}. */
    static String perMTok(long microsPerMTok) {
        return Money.format(microsPerMTok) + "/M";
    }
}
