package dev.llmbudget.core;

/**
 * One configured budget: {@code budget.<name>.limit-usd}, {@code .window}, {@code .zone}, {@code .match.model}.
 * A call must fit every budget whose model glob matches it.
 */
public record BudgetSpec(String name, long limitMicros, BudgetWindow window, ModelGlob models) {

    /** The configuration key a user raises to let more through. */
    public String limitKey() {
        return "budget." + name + ".limit-usd";
    }
}
