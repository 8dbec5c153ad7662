package dev.llmbudget.ops.audit;

import dev.llmbudget.config.BudgetConfig;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.Durations;
import java.math.BigInteger;
import java.time.Duration;

/**
 * A budget seen over one day (24 hours, 1440 minutes), so budgets of any window compare with a day's
 * worst case.
 *
 * @param budget the budget as configured
 * @param window its window, parsed
 * @param mostPerDay the most the budget lets through in one day: {@code minute} × 1440, {@code hour} × 24,
 *     {@code rolling-<d>} × the windows of length d a day holds (rounded up); the limit itself for
 *     {@code day}, {@code week}, {@code month}, {@code total} (all of it may go in one day)
 * @param dailyShare the budget per day, for the 10% rule: the limit spread over its window ({@code week} ÷ 7,
 *     {@code month} ÷ 31, {@code rolling-<d>} × 24h ÷ d), or {@link Micros#UNCAPPED} when the window has
 *     no length ({@code total}, {@code run})
 * @param shareHow how {@code dailyShare} was worked out, e.g. {@code $3.00 per hour × 24}
 */
record BudgetDay(BudgetConfig budget, BudgetWindow window, long mostPerDay, long dailyShare, String shareHow) {
    private static final long MILLIS_PER_DAY = Duration.ofDays(1).toMillis();
    /** A month is taken as 31 days: the smallest daily share, so the 10% rule errs on the side of warning. */
    static final long DAYS_PER_MONTH = 31;

    static BudgetDay of(BudgetConfig budget) {
        BudgetWindow window = BudgetWindow.parse(budget.window(), budget.zone());
        long limit = budget.limitMicros();
        String per = Micros.usd(limit) + " per " + budget.window();
        return switch (window.kind()) {
            case MINUTE -> new BudgetDay(budget, window, Micros.times(limit, 1440), Micros.times(limit, 1440), per + " × 1440");
            case HOUR -> new BudgetDay(budget, window, Micros.times(limit, 24), Micros.times(limit, 24), per + " × 24");
            case DAY -> new BudgetDay(budget, window, limit, limit, per);
            case WEEK -> new BudgetDay(budget, window, limit, limit / 7, per + " ÷ 7");
            case MONTH -> new BudgetDay(budget, window, limit, limit / DAYS_PER_MONTH, per + " ÷ " + DAYS_PER_MONTH);
            case ROLLING -> rolling(budget, window, limit);
            case TOTAL, RUN -> new BudgetDay(budget, window, limit, Micros.UNCAPPED, null);
        };
    }

    private static BudgetDay rolling(BudgetConfig budget, BudgetWindow window, long limit) {
        long windowMillis = window.rolling().toMillis();
        // any stretch of the window's length holds at most the limit: a day is covered by ceil(day / window) of them
        long windowsPerDay = Math.max(1, -Math.floorDiv(-MILLIS_PER_DAY, windowMillis));
        BigInteger share = BigInteger.valueOf(limit).multiply(BigInteger.valueOf(MILLIS_PER_DAY))
                .divide(BigInteger.valueOf(windowMillis));
        long dailyShare = share.bitLength() < Long.SIZE ? share.longValue() : Micros.OVERFLOW;
        String how = Micros.usd(limit) + " per " + budget.window();
        return new BudgetDay(budget, window, Micros.times(limit, windowsPerDay), dailyShare,
                windowMillis == MILLIS_PER_DAY ? how : how + " × 24h ÷ " + Durations.format(window.rolling()));
    }

    /** Whether the budget has a length to spread over a day (not {@code total}, not {@code run}, not one account per run). */
    boolean isDaily() {
        return dailyShare != Micros.UNCAPPED && !isPerRun();
    }

    /** {@code per=task}: one account per run, so it caps a run directly. */
    boolean isPerRun() {
        return budget.per().equals("task");
    }

    /** One account for all calls it matches (not split per tenant, key, model or run). */
    boolean isGlobal() {
        return budget.per().equals("global");
    }

    boolean enforces() {
        return !budget.shadow();
    }
}
