package dev.llmbudget.store;

/**
 * One budget's account in one window: where a call's spend is held and then settled.
 *
 * @param budget the budget's name
 * @param window the window's id, e.g. {@code total} or {@code 2026-11-23}
 * @param limitMicros the budget's limit, passed with each reservation so a store never needs the configuration
 */
public record AccountRef(String budget, String window, long limitMicros) implements Comparable<AccountRef> {
    @Override
    public int compareTo(AccountRef other) {
        int byBudget = budget.compareTo(other.budget);
        return byBudget != 0 ? byBudget : window.compareTo(other.window);
    }
}
