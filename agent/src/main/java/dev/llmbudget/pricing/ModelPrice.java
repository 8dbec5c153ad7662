package dev.llmbudget.pricing;

/**
 * The list price of one model, in micro-USD per million tokens (equivalently pico-USD per token), so
 * that prices such as $0.075 per million tokens stay exact integers.
 *
 * @param model the price table key this price was found under
 * @param inputPerMTok uncached input tokens
 * @param cachedInputPerMTok input tokens read from the provider's prompt cache
 * @param cacheWritePerMTok input tokens written to the prompt cache (Anthropic bills these extra)
 * @param outputPerMTok output tokens, reasoning tokens included (providers bill them as output)
 * @param maxOutputTokens the model's largest output, or 0 when the table does not say
 */
public record ModelPrice(String model, long inputPerMTok, long cachedInputPerMTok, long cacheWritePerMTok,
                         long outputPerMTok, long maxOutputTokens) {

    private static final long PER_MILLION = 1_000_000L;

    /**
     * A model without a price, as shadow mode lets its call through: it costs nothing in the budgets (its
     * ledger line says {@code would-refuse} by {@code pricing.unknown-model}), never a guessed price.
     */
    public static ModelPrice free(String model) {
        return new ModelPrice(model == null ? "unknown" : model, 0, 0, 0, 0, 0);
    }

    /** The worst case of a call: every input token uncached, the whole output allowance used. Rounded up. */
    public long worstCaseMicros(long inputTokens, long outputTokens) {
        // any input token may turn out to be a cache write, which some providers price above plain input
        long dearestInput = Math.max(inputPerMTok, cacheWritePerMTok);
        return ceilMillionths(saturatedAdd(times(inputTokens, dearestInput), times(outputTokens, outputPerMTok)));
    }

    /**
     * The cost of what the provider reports. {@code inputTokens} includes the cached and cache-write
     * tokens, as OpenAI reports it; Anthropic-style usage is normalised to this by the wire layer.
     */
    public long actualMicros(long inputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens) {
        long uncached = Math.max(0, inputTokens - cachedInputTokens - cacheWriteTokens);
        long picoUsd = times(uncached, inputPerMTok);
        picoUsd = saturatedAdd(picoUsd, times(cachedInputTokens, cachedInputPerMTok));
        picoUsd = saturatedAdd(picoUsd, times(cacheWriteTokens, cacheWritePerMTok));
        picoUsd = saturatedAdd(picoUsd, times(outputTokens, outputPerMTok));
        return ceilMillionths(picoUsd);
    }

    private static long times(long tokens, long pricePerMTok) {
        try {
            return Math.multiplyExact(Math.max(0, tokens), pricePerMTok);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static long ceilMillionths(long picoUsd) {
        return picoUsd == Long.MAX_VALUE ? Long.MAX_VALUE / PER_MILLION : -Math.floorDiv(-picoUsd, PER_MILLION);
    }
}
