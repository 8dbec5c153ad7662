package dev.llmbudget.core;

import dev.llmbudget.pricing.ModelPrice;
import java.util.List;

/**
 * The part of the configuration the {@link Guard} decides with.
 *
 * @param budgets every configured budget
 * @param defaultMaxOutputTokens the output allowance assumed when a request sets none ({@code limits.default-max-output-tokens})
 * @param unknownModel what to do with a model without a price
 * @param fallbackPrice the price of unknown models under {@link UnknownModelPolicy#FALLBACK}, else null
 * @param outputCeiling {@code limits.max-output-tokens} and what to do past it
 */
public record GuardSettings(List<BudgetSpec> budgets, long defaultMaxOutputTokens, UnknownModelPolicy unknownModel,
                            ModelPrice fallbackPrice, OutputCeiling outputCeiling) {
    public GuardSettings {
        budgets = List.copyOf(budgets);
        outputCeiling = outputCeiling == null ? OutputCeiling.NONE : outputCeiling;
    }

    /** Settings without an output ceiling. */
    public GuardSettings(List<BudgetSpec> budgets, long defaultMaxOutputTokens, UnknownModelPolicy unknownModel,
                         ModelPrice fallbackPrice) {
        this(budgets, defaultMaxOutputTokens, unknownModel, fallbackPrice, OutputCeiling.NONE);
    }
}
