package dev.llmbudget.ops.metrics;

import dev.llmbudget.pricing.Money;

/**
 * Micro-USD to the USD a Prometheus sample shows. The agent counts money as {@code long} micro-USD everywhere;
 * Prometheus samples are doubles, so the conversion happens here, once, as a value is exposed, and never feeds back
 * into any accounting. The division is correctly rounded: 500 micro-USD shows as the double {@code 0.0005} parses to.
 */
final class Usd {
    private Usd() {
    }

    static double of(long micros) {
        return micros / (double) Money.MICROS_PER_USD;
    }
}
