package dev.llmbudget.ops.report;

/**
 * The counters of one row of the table. Money is a {@code long} of micro-USD, as everywhere in the agent: a sum of
 * doubles would drift, and a report must add up to the cent with what the store charged.
 */
final class Totals {
    private long calls;
    private long refusals;
    private long wouldRefuse;
    private long inputTokens;
    private long outputTokens;
    private long settledMicros;

    void add(LedgerLine line) {
        if (line.isCall()) {
            calls++;
        }
        if (line.isRefusal()) {
            refusals++;
        }
        if (line.isWouldRefuse()) {
            wouldRefuse++;
        }
        inputTokens = Math.addExact(inputTokens, line.inputTokens());
        outputTokens = Math.addExact(outputTokens, line.outputTokens());
        settledMicros = Math.addExact(settledMicros, line.settledMicros());
    }

    long calls() {
        return calls;
    }

    long refusals() {
        return refusals;
    }

    long wouldRefuse() {
        return wouldRefuse;
    }

    long inputTokens() {
        return inputTokens;
    }

    long outputTokens() {
        return outputTokens;
    }

    long settledMicros() {
        return settledMicros;
    }
}
