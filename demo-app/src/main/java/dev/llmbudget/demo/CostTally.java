package dev.llmbudget.demo;

/**
 * What the demo's calls used and cost, from the usage each response reports. Money is integer
 * micro-USD in {@code long} (as llm-budget-agent keeps it): no floating point in the arithmetic,
 * so totals are exact and match a ledger to the micro-dollar.
 */
final class CostTally {

    /** gpt-4o list prices, micro-USD per million tokens: $2.50 in, $10.00 out. */
    static final long INPUT_MICROS_PER_MILLION_TOKENS = 2_500_000L;
    static final long OUTPUT_MICROS_PER_MILLION_TOKENS = 10_000_000L;
    static final String PRICE_LABEL = "$2.50/M in, $10.00/M out";
    static final String PRICED_MODEL = "gpt-4o";

    private long calls;
    private long promptTokens;
    private long completionTokens;

    void record(long promptTokensOfCall, long completionTokensOfCall) {
        calls++;
        promptTokens += promptTokensOfCall;
        completionTokens += completionTokensOfCall;
    }

    long calls() {
        return calls;
    }

    long promptTokens() {
        return promptTokens;
    }

    long completionTokens() {
        return completionTokens;
    }

    /** Cost of all calls so far, micro-USD, rounded half up once on the total. */
    long costMicros() {
        long numerator = Math.addExact(
                Math.multiplyExact(promptTokens, INPUT_MICROS_PER_MILLION_TOKENS),
                Math.multiplyExact(completionTokens, OUTPUT_MICROS_PER_MILLION_TOKENS));
        return (numerator + 500_000L) / 1_000_000L;
    }

    /**
     * An estimate of what {@code totalCalls} calls would cost at the average cost per call so far;
     * -1 when no call has completed. An underestimate when later calls carry more context.
     */
    long estimateMicrosFor(long totalCalls) {
        if (calls == 0) {
            return -1;
        }
        return Math.multiplyExact(costMicros(), totalCalls) / calls;
    }

    /** {@code micros} as dollars with {@code decimals} (0 to 6) places, rounded half up, e.g. $11.04. */
    static String usd(long micros, int decimals) {
        long unit = 1;
        for (int i = decimals; i < 6; i++) {
            unit *= 10;
        }
        long rounded = (micros + unit / 2) / unit;
        long scale = 1_000_000L / unit;
        String whole = String.format("$%,d", rounded / scale);
        return decimals == 0 ? whole : whole + "." + String.format("%0" + decimals + "d", rounded % scale);
    }

    /** Dollars as a person reads them: 2 decimals, or 4 below ten cents so small sums are not $0.00. */
    static String usd(long micros) {
        return usd(micros, micros < 100_000L ? 4 : 2);
    }
}
