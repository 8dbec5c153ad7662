package dev.llmbudget.core;

import dev.llmbudget.tokens.Prompt;

/**
 * One LLM API call as the wire layer read it from the request, before it is sent.
 *
 * @param provider e.g. {@code openai}
 * @param endpoint e.g. {@code chat.completions}, {@code responses}, {@code embeddings}
 * @param model the model the request names
 * @param prompt what the provider bills as input
 * @param maxOutputTokens the request's own output ceiling, or 0 when it sets none
 * @param choices how many completions the request asks for ({@code n}); each may use the whole ceiling
 * @param producesOutput false for endpoints without billed output (embeddings)
 * @param stream whether the response is a stream of events
 * @param keyFingerprint the API key as a fingerprint (never the key), or null
 */
public record LlmCall(String provider, String endpoint, String model, Prompt prompt, long maxOutputTokens,
                      int choices, boolean producesOutput, boolean stream, String keyFingerprint) {
}
