package dev.llmbudget.core;

/**
 * One configured budget: {@code budget.<name>.limit-usd}, {@code .window}, {@code .zone},
 * {@code .match.model}, {@code .per}. A call must fit every budget whose model glob matches it, in
 * the account of its partition and current window.
 */
public record BudgetSpec(String name, long limitMicros, BudgetWindow window, ModelGlob models, Partition per,
                         boolean shadow) {

    public BudgetSpec {
        per = per == null ? Partition.GLOBAL : per;
    }

    /** An enforcing budget. */
    public BudgetSpec(String name, long limitMicros, BudgetWindow window, ModelGlob models, Partition per) {
        this(name, limitMicros, window, models, per, false);
    }

    /** A budget shared by every call it matches. */
    public BudgetSpec(String name, long limitMicros, BudgetWindow window, ModelGlob models) {
        this(name, limitMicros, window, models, Partition.GLOBAL);
    }

    /** The budget that keeps {@code limits.burn-rate.usd-per-minute}: the spend of a rolling minute. */
    static final String BURN_RATE = "limits.burn-rate";

    /**
     * {@code limits.burn-rate.usd-per-minute} as a budget over a rolling minute: kept, reserved and
     * shared across JVMs like any budget. Its name has a dot, which no configured budget's can.
     */
    static BudgetSpec burnRate(long microsPerMinute, boolean shadow) {
        return new BudgetSpec(BURN_RATE, microsPerMinute, BudgetWindow.parse("rolling-1m", java.time.ZoneOffset.UTC),
                ModelGlob.ANY, Partition.GLOBAL, shadow);
    }

    boolean isBurnRate() {
        return BURN_RATE.equals(name);
    }

    /** The configuration key a user raises to let more through. */
    public String limitKey() {
        return isBurnRate() ? "limits.burn-rate.usd-per-minute" : "budget." + name + ".limit-usd";
    }
}
