package dev.llmbudget.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Usage;
import dev.llmbudget.wire.Json;
import dev.llmbudget.wire.KeyFingerprint;
import dev.llmbudget.wire.SseUsageReader;
import dev.llmbudget.wire.UsageReader;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * The Google Gemini wire protocol (the Gemini API and Vertex AI's Gemini endpoints): reads a request
 * body into an {@link LlmCall}, and a response (JSON, a streamed JSON array, or SSE) into {@link Usage}.
 *
 * <p>Gemini's {@code promptTokenCount} already includes the cached tokens, as {@link Usage} counts
 * input; thinking tokens are reported apart from {@code candidatesTokenCount} but billed as output, so
 * they are added to it.
 */
public final class GeminiProtocol {
    public static final String PROVIDER = "gemini";

    private GeminiProtocol() {
    }

    /**
     * The call a request makes. The model comes from the URL ({@link GeminiEndpoint#model()}), as
     * the body does not name it; fields are read under their camelCase and snake_case names alike.
     * A request without {@code generationConfig.maxOutputTokens} has a ceiling of 0, so the guard
     * applies its default.
     */
    public static LlmCall readRequest(GeminiEndpoint endpoint, byte[] body, String keyFingerprint) throws IOException {
        JsonNode request = Json.parse(body, 0, body.length);
        if (request == null || !request.isObject()) {
            throw new IOException("request body is not a JSON object");
        }
        return endpoint.producesOutput()
                ? GeminiRequestReader.generation(endpoint, request, keyFingerprint)
                : GeminiRequestReader.embedding(endpoint, request, keyFingerprint);
    }

    /**
     * The fingerprint of the request's credential, or null: the API key of header
     * {@code x-goog-api-key} (the SDKs'), else of the {@code key} query parameter (curl samples, older
     * clients), else a Vertex AI OAuth token ({@code Authorization: Bearer}). The key itself is never
     * returned.
     *
     * @param headers the request's header value by name, null when absent (the caller may be case-sensitive,
     *     so both spellings are asked for)
     */
    public static String keyFingerprint(String url, UnaryOperator<String> headers) {
        String key = header(headers, "x-goog-api-key", "X-Goog-Api-Key");
        if (key == null) {
            key = QueryParameters.get(url, "key");
        }
        if (key != null && !key.isBlank()) {
            return KeyFingerprint.of(key.trim());
        }
        return KeyFingerprint.ofHeader(header(headers, "authorization", "Authorization"));
    }

    private static String header(UnaryOperator<String> headers, String lower, String canonical) {
        if (headers == null) {
            return null;
        }
        String value = headers.apply(lower);
        if (value == null || value.isBlank()) {
            value = headers.apply(canonical);
        }
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * A reader for the usage in the response to {@code endpoint}: SSE events for {@code alt=sse}, the
     * streamed JSON array otherwise for a stream, and the JSON object of a plain response. Streams get
     * a fresh stateful extractor, and their output text is kept for a stream cut before its usage.
     *
     * <p>A plain response is read by the same incremental reader, not by {@code JsonBodyUsageReader}:
     * that one keeps only the top-level {@code usage} and {@code response} fields, and Gemini's usage
     * is {@code usageMetadata}.
     *
     * @param call the call the response answers; the endpoint alone decides the response's form
     */
    public static UsageReader usageReader(LlmCall call, GeminiEndpoint endpoint) {
        if (endpoint.sse()) {
            return new SseUsageReader(new GeminiStreamUsage());
        }
        if (endpoint.stream()) {
            return new GeminiJsonStreamReader(new GeminiStreamUsage(), true);
        }
        return new GeminiJsonStreamReader(GeminiProtocol::usageIn, false);
    }

    /**
     * Usage from one GenerateContentResponse, or null when it reports none. Tool-use prompt tokens
     * (results of Google Search and other built-in tools, fed back to the model) are billed as input;
     * thoughts as output, and also reported as reasoning. A {@code usageMetadata} with no count at all
     * is no report: settling on it would make the call free.
     */
    public static Usage usageIn(JsonNode document) {
        JsonNode metadata = usageMetadataOf(document);
        if (metadata == null) {
            return null;
        }
        long thoughts = GeminiFields.count(metadata, "thoughtsTokenCount", "thoughts_token_count");
        return new Usage(
                GeminiFields.count(metadata, "promptTokenCount", "prompt_token_count")
                        + GeminiFields.count(metadata, "toolUsePromptTokenCount", "tool_use_prompt_token_count"),
                GeminiFields.count(metadata, "cachedContentTokenCount", "cached_content_token_count"), 0,
                GeminiFields.count(metadata, "candidatesTokenCount", "candidates_token_count") + thoughts,
                thoughts);
    }

    /** The document's {@code usageMetadata} when it holds at least one token count, else null. */
    static JsonNode usageMetadataOf(JsonNode document) {
        JsonNode metadata = GeminiFields.get(document, "usageMetadata", "usage_metadata");
        if (metadata == null || !metadata.isObject()) {
            return null;
        }
        boolean counts = GeminiFields.has(metadata, "promptTokenCount", "prompt_token_count")
                || GeminiFields.has(metadata, "candidatesTokenCount", "candidates_token_count")
                || GeminiFields.has(metadata, "thoughtsTokenCount", "thoughts_token_count")
                || GeminiFields.has(metadata, "cachedContentTokenCount", "cached_content_token_count")
                || GeminiFields.has(metadata, "toolUsePromptTokenCount", "tool_use_prompt_token_count");
        return counts ? metadata : null;
    }

    /**
     * The body with its output ceiling set to {@code max}: {@code generationConfig.maxOutputTokens},
     * or the snake_case spelling where the request already uses it (a second spelling of the same
     * field would be rejected as a duplicate). Every other field is kept.
     */
    public static byte[] withMaxOutputTokens(byte[] body, long max) throws IOException {
        JsonNode request = Json.parse(body, 0, body.length);
        if (!(request instanceof ObjectNode object)) {
            throw new IOException("the request body is not a JSON object");
        }
        ObjectNode config = objectAt(object, "generationConfig");
        if (config == null) {
            config = objectAt(object, "generation_config");
        }
        if (config == null) {
            config = object.putObject("generationConfig");
        }
        boolean snake = config.has("max_output_tokens");
        if (snake) {
            config.put("max_output_tokens", max);
        }
        if (config.has("maxOutputTokens") || !snake) {
            config.put("maxOutputTokens", max);
        }
        return Json.MAPPER.writeValueAsBytes(object);
    }

    private static ObjectNode objectAt(ObjectNode node, String field) {
        return node.get(field) instanceof ObjectNode object ? object : null;
    }
}
