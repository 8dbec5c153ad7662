package dev.llmbudget.core;

/**
 * What the provider reports a call used, normalised: {@code inputTokens} counts every input token,
 * cached and cache-write ones included; {@code outputTokens} includes reasoning tokens, which
 * providers bill as output.
 */
public record Usage(long inputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens,
                    long reasoningTokens) {
}
