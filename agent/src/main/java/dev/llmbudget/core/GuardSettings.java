package dev.llmbudget.core;

import dev.llmbudget.core.limits.LimitSettings;
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
 * @param limits the run, retry, circuit, loop, rate, concurrency and burn-rate limits
 * @param shadow {@code mode=shadow}: every refusal but a kill switch's is only recorded ({@code would-refuse}),
 *     the call is sent as the application wrote it
 */
public record GuardSettings(List<BudgetSpec> budgets, long defaultMaxOutputTokens, UnknownModelPolicy unknownModel,
                            ModelPrice fallbackPrice, OutputCeiling outputCeiling, LimitSettings limits, boolean shadow) {
    public GuardSettings {
        budgets = List.copyOf(budgets);
        outputCeiling = outputCeiling == null ? OutputCeiling.NONE : outputCeiling;
        limits = limits == null ? LimitSettings.NONE : limits;
    }

    /** Enforcing settings. */
    public GuardSettings(List<BudgetSpec> budgets, long defaultMaxOutputTokens, UnknownModelPolicy unknownModel,
                         ModelPrice fallbackPrice, OutputCeiling outputCeiling, LimitSettings limits) {
        this(budgets, defaultMaxOutputTokens, unknownModel, fallbackPrice, outputCeiling, limits, false);
    }

    /** Settings without the limits of {@code limits.*} beyond the output ceiling. */
    public GuardSettings(List<BudgetSpec> budgets, long defaultMaxOutputTokens, UnknownModelPolicy unknownModel,
                         ModelPrice fallbackPrice, OutputCeiling outputCeiling) {
        this(budgets, defaultMaxOutputTokens, unknownModel, fallbackPrice, outputCeiling, LimitSettings.NONE);
    }

    /** Settings without an output ceiling. */
    public GuardSettings(List<BudgetSpec> budgets, long defaultMaxOutputTokens, UnknownModelPolicy unknownModel,
                         ModelPrice fallbackPrice) {
        this(budgets, defaultMaxOutputTokens, unknownModel, fallbackPrice, OutputCeiling.NONE);
    }
}
