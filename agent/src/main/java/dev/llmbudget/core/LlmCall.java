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
 * @param library the instrumented library the call was made through ({@code openai-sdk}, {@code langchain4j},
 *     {@code jdk-http-client}, ...), as {@code instrumentation.<library>.enabled} names it, or null when not told
 */
public record LlmCall(String provider, String endpoint, String model, Prompt prompt, long maxOutputTokens,
                      int choices, boolean producesOutput, boolean stream, String keyFingerprint, String library) {

    /** A call read from a request, before the interception point says which library it came through. */
    public LlmCall(String provider, String endpoint, String model, Prompt prompt, long maxOutputTokens,
                   int choices, boolean producesOutput, boolean stream, String keyFingerprint) {
        this(provider, endpoint, model, prompt, maxOutputTokens, choices, producesOutput, stream, keyFingerprint, null);
    }

    /** This call, as made through {@code library}. */
    public LlmCall through(String library) {
        return new LlmCall(provider, endpoint, model, prompt, maxOutputTokens, choices, producesOutput, stream,
                keyFingerprint, library);
    }
}
