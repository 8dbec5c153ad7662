package dev.llmbudget.config;

import java.util.List;

/**
 * The declaration of one configuration key: its name, type, default and meaning. Every key the agent
 * reads is declared once, in {@link ConfigKeys}; the README's table is checked against these.
 *
 * @param name the key; per-budget keys contain the placeholder {@code <name>}
 * @param type what kind of value it takes
 * @param choices the allowed values of a {@link ValueType#CHOICE} key
 * @param defaultValue the value when the key is not set, or null when there is none
 * @param description one line for the README
 */
public record ConfigKey(String name, ValueType type, List<String> choices, String defaultValue, String description) {
    public static final String BUDGET_NAME = "<name>";

    public ConfigKey {
        choices = List.copyOf(choices);
    }

    public boolean isPerBudget() {
        return name.contains(BUDGET_NAME);
    }

    /** This key for budget {@code budget}, e.g. {@code budget.daily.limit-usd}. */
    public String forBudget(String budget) {
        return name.replace(BUDGET_NAME, budget);
    }

    /** The part after {@code budget.<name>.}, e.g. {@code limit-usd}. */
    public String budgetSuffix() {
        return name.substring(name.indexOf(BUDGET_NAME) + BUDGET_NAME.length() + 1);
    }

    public String expected() {
        return type.expected(choices);
    }

    /** Null when {@code raw} is a valid value for this key, else why not. */
    public String problemWith(String raw) {
        return type.problemWith(raw, choices);
    }
}
