package dev.llmbudget.core;

/**
 * One configured budget: {@code budget.<name>.limit-usd}, {@code .window}, {@code .zone},
 * {@code .match.model}, {@code .per}. A call must fit every budget whose model glob matches it, in
 * the account of its partition and current window.
 */
public record BudgetSpec(String name, long limitMicros, BudgetWindow window, ModelGlob models, Partition per) {

    public BudgetSpec {
        per = per == null ? Partition.GLOBAL : per;
    }

    /** A budget shared by every call it matches. */
    public BudgetSpec(String name, long limitMicros, BudgetWindow window, ModelGlob models) {
        this(name, limitMicros, window, models, Partition.GLOBAL);
    }

    /** The configuration key a user raises to let more through. */
    public String limitKey() {
        return "budget." + name + ".limit-usd";
    }
}
