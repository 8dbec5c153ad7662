package dev.llmbudget.instrument.langchain4j;

import dev.llmbudget.core.Usage;

/**
 * The usage a LangChain4j {@code ChatResponse} reports, normalised to {@link Usage}. {@code TokenUsage}
 * has input and output counts (either may be null: then nothing trustworthy is known). Provider
 * subclasses add what the price depends on, read by method name where present:
 * <ul>
 *   <li>Anthropic ({@code cacheReadInputTokens}, {@code cacheCreationInputTokens}): its input count
 *       excludes both, so they are added back, as {@link Usage} counts every input token;</li>
 *   <li>OpenAI ({@code inputTokensDetails().cachedTokens()}, {@code outputTokensDetails().reasoningTokens()}):
 *       the counts already include them.</li>
 * </ul>
 */
final class TokenUsages {
    private TokenUsages() {
    }

    /** The usage in a {@code ChatResponse}, or null when it reports none (or no complete one). */
    static Usage of(Object chatResponse) {
        Object tokenUsage = chatResponse == null ? null : Reflect.call(chatResponse, "tokenUsage");
        if (tokenUsage == null) {
            return null;
        }
        Object input = Reflect.call(tokenUsage, "inputTokenCount");
        Object output = Reflect.call(tokenUsage, "outputTokenCount");
        if (!(input instanceof Number) || !(output instanceof Number)) {
            return null;
        }
        long inputTokens = Reflect.count(input);
        long cacheRead = Reflect.count(Reflect.callIfPresent(tokenUsage, "cacheReadInputTokens"));
        long cacheWrite = Reflect.count(Reflect.callIfPresent(tokenUsage, "cacheCreationInputTokens"));
        long cached = cacheRead;
        if (cacheRead + cacheWrite > 0) {
            inputTokens += cacheRead + cacheWrite;
        } else {
            cached = Math.min(inputTokens, Reflect.count(Reflect.callIfPresent(
                    Reflect.callIfPresent(tokenUsage, "inputTokensDetails"), "cachedTokens")));
        }
        long reasoning = Reflect.count(Reflect.callIfPresent(
                Reflect.callIfPresent(tokenUsage, "outputTokensDetails"), "reasoningTokens"));
        return new Usage(inputTokens, cached, cacheWrite, Reflect.count(output), reasoning);
    }
}
