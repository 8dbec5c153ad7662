package dev.llmbudget.ops.report;

import java.util.Arrays;

/**
 * What the HTML chart of one budget needs: settled spend over time (in {@link TimeBuckets}, fixed memory) and the
 * times of the refusals on the budget. Refusal times are kept one by one, each gets its own marker, up to
 * {@value #MAX_MARKED_REFUSALS}: past that a retry storm would make the page itself the problem, so further
 * refusals are only counted.
 */
final class BudgetTimeline {
    static final int MAX_MARKED_REFUSALS = 5_000;

    private final TimeBuckets spend = new TimeBuckets();
    private long[] refusalTimes = new long[16];
    private int marked;
    private long refusals;
    private long lines;
    private long settledMicros;

    void add(LedgerLine line) {
        lines++;
        long millis = line.time().toEpochMilli();
        if (line.settledMicros() != 0) {
            spend.add(millis, line.settledMicros());
            settledMicros = Math.addExact(settledMicros, line.settledMicros());
        }
        if (line.isRefusal()) {
            refusals++;
            if (marked < MAX_MARKED_REFUSALS) {
                if (marked == refusalTimes.length) {
                    refusalTimes = Arrays.copyOf(refusalTimes, Math.min(MAX_MARKED_REFUSALS, marked * 2));
                }
                refusalTimes[marked++] = millis;
            }
        }
    }

    TimeBuckets spend() {
        return spend;
    }

    /** Epoch millis of the refusals that get a marker, in ledger order. */
    long[] markedRefusals() {
        return Arrays.copyOf(refusalTimes, marked);
    }

    long refusals() {
        return refusals;
    }

    /** Lines on this budget in the report's period; 0 for a budget seen only before {@code --since}. */
    long lines() {
        return lines;
    }

    long settledMicros() {
        return settledMicros;
    }
}
