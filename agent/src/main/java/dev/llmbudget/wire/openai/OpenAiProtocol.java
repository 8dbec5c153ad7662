package dev.llmbudget.wire.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Usage;
import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.wire.Json;
import dev.llmbudget.wire.JsonBodyUsageReader;
import dev.llmbudget.wire.SseUsageReader;
import dev.llmbudget.wire.UsageExtractor;
import dev.llmbudget.wire.UsageReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI wire protocol, as the OpenAI SDKs and every OpenAI-compatible server speak it: reads a
 * request body into an {@link LlmCall} and a response (JSON or SSE) into {@link Usage}.
 */
public final class OpenAiProtocol {
    public static final String PROVIDER = "openai";
    /** OpenAI's documented default for the legacy completions endpoint. */
    private static final long LEGACY_COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

    private OpenAiProtocol() {
    }

    /**
     * Reads a request body.
     *
     * @param deployment the model named by the URL (Azure), used when the body names none; may be null
     */
    public static LlmCall readRequest(OpenAiEndpoint endpoint, byte[] body, String deployment, String keyFingerprint)
            throws IOException {
        JsonNode request = Json.parse(body, 0, body.length);
        if (!request.isObject()) {
            throw new IOException("request body is not a JSON object");
        }
        String model = request.path("model").isTextual() ? request.get("model").textValue() : deployment;
        boolean stream = request.path("stream").asBoolean(false);
        List<String> texts = new ArrayList<>();
        Json.Findings findings = new Json.Findings();
        return switch (endpoint) {
            case CHAT_COMPLETIONS -> {
                JsonNode messages = request.path("messages");
                Json.collectText(messages, texts, findings);
                addJson(request, texts, "tools", "functions", "response_format", "tool_choice");
                long max = firstCount(request, "max_completion_tokens", "max_tokens");
                yield new LlmCall(PROVIDER, endpoint.label(), model,
                        new Prompt(texts, Math.max(1, messages.size()), findings.images, 0),
                        max, (int) Math.max(1, Json.count(request, "n")), true, stream, keyFingerprint);
            }
            case RESPONSES -> {
                JsonNode input = request.path("input");
                Json.collectText(input, texts, findings);
                Json.collectText(request.path("instructions"), texts, findings);
                addJson(request, texts, "tools", "text", "tool_choice");
                int messages = (input.isArray() ? input.size() : 1) + (request.hasNonNull("instructions") ? 1 : 0);
                yield new LlmCall(PROVIDER, endpoint.label(), model, new Prompt(texts, messages, findings.images, 0),
                        Json.count(request, "max_output_tokens"), 1, true, stream, keyFingerprint);
            }
            case EMBEDDINGS -> {
                long tokenIds = collectEmbeddingInput(request.path("input"), texts);
                yield new LlmCall(PROVIDER, endpoint.label(), model, new Prompt(texts, 0, 0, tokenIds), 0, 1,
                        false, false, keyFingerprint);
            }
            case COMPLETIONS -> {
                long tokenIds = collectEmbeddingInput(request.path("prompt"), texts);
                long max = request.has("max_tokens") ? Json.count(request, "max_tokens") : LEGACY_COMPLETIONS_DEFAULT_MAX_TOKENS;
                long choices = Math.max(Math.max(1, Json.count(request, "n")), Json.count(request, "best_of"));
                yield new LlmCall(PROVIDER, endpoint.label(), model, new Prompt(texts, 0, 0, tokenIds),
                        max, (int) choices, true, stream, keyFingerprint);
            }
        };
    }

    /**
     * A request body rewritten for the agent: asked for its stream's usage, its output maximum set.
     *
     * @param addsUsageChunk whether the provider will now send a usage-only chunk the application did not ask for
     */
    public record Rewrite(byte[] body, boolean addsUsageChunk) {
    }

    /**
     * A streamed chat completion reports its usage only when asked ({@code stream_options.include_usage});
     * without it the agent could only charge the whole reservation. Returns the body with the option
     * set, or null when the request is no chat stream or already asks for usage.
     */
    public static byte[] withStreamUsageRequested(OpenAiEndpoint endpoint, byte[] body) throws IOException {
        Rewrite rewrite = rewrite(endpoint, body, 0);
        return rewrite == null ? null : rewrite.body();
    }

    /**
     * The body as the agent sends it, or null when it goes unchanged: a chat stream asked for its usage,
     * and, when {@code maxOutputTokens > 0}, the output maximum set to it in the field the endpoint
     * reads ({@code max_completion_tokens}, or {@code max_tokens} where the request uses that;
     * {@code max_output_tokens} for the Responses API).
     */
    public static Rewrite rewrite(OpenAiEndpoint endpoint, byte[] body, long maxOutputTokens) throws IOException {
        return rewrite(endpoint, body, maxOutputTokens, true);
    }

    /**
     * As {@link #rewrite(OpenAiEndpoint, byte[], long)}; with {@code requestStreamUsage} false a chat
     * stream is left without {@code include_usage}, for layers that hand the application the raw
     * stream and so cannot hide the extra chunk.
     */
    public static Rewrite rewrite(OpenAiEndpoint endpoint, byte[] body, long maxOutputTokens, boolean requestStreamUsage)
            throws IOException {
        JsonNode request = Json.parse(body, 0, body.length);
        if (!(request instanceof ObjectNode object)) {
            return null;
        }
        boolean addsUsage = requestStreamUsage && endpoint == OpenAiEndpoint.CHAT_COMPLETIONS && request.path("stream").asBoolean(false)
                && !request.path("stream_options").path("include_usage").asBoolean(false);
        if (addsUsage) {
            JsonNode options = object.get("stream_options");
            ObjectNode streamOptions = options instanceof ObjectNode existing ? existing : object.putObject("stream_options");
            streamOptions.put("include_usage", true);
        }
        boolean clamped = maxOutputTokens > 0 && setMaxOutput(endpoint, object, maxOutputTokens);
        return addsUsage || clamped ? new Rewrite(Json.MAPPER.writeValueAsBytes(object), addsUsage) : null;
    }

    private static boolean setMaxOutput(OpenAiEndpoint endpoint, ObjectNode request, long maxOutputTokens) {
        switch (endpoint) {
            case CHAT_COMPLETIONS -> {
                if (request.has("max_tokens")) {
                    request.put("max_tokens", maxOutputTokens);
                }
                if (request.has("max_completion_tokens") || !request.has("max_tokens")) {
                    request.put("max_completion_tokens", maxOutputTokens);
                }
                return true;
            }
            case RESPONSES -> {
                request.put("max_output_tokens", maxOutputTokens);
                return true;
            }
            case COMPLETIONS -> {
                request.put("max_tokens", maxOutputTokens);
                return true;
            }
            default -> {
                return false; // embeddings produce no output
            }
        }
    }

    /**
     * The extra chunk {@code include_usage} adds at the end of a chat stream: no choices, only usage.
     * Applications that did not ask for it may read {@code choices().get(0)} of every chunk.
     */
    public static boolean isUsageOnlyChunk(JsonNode chunk) {
        JsonNode choices = chunk.get("choices");
        JsonNode usage = chunk.get("usage");
        return choices != null && choices.isArray() && choices.isEmpty() && usage != null && usage.isObject();
    }

    /** A reader for the usage in this call's response: SSE for streams, JSON otherwise. */
    public static UsageReader usageReader(LlmCall call) {
        return call.stream() ? new SseUsageReader(new StreamEvents()) : new JsonBodyUsageReader(OpenAiProtocol::usageIn);
    }

    /** A stream's events: usage from the final chunk (or {@code response.completed}), and the output each delta carries. */
    private static final class StreamEvents implements UsageExtractor {
        @Override
        public Usage usageIn(JsonNode event) {
            return OpenAiProtocol.usageIn(event);
        }

        @Override
        public String outputTextIn(JsonNode event) {
            return streamedOutput(event);
        }
    }

    /**
     * The generated text one stream event carries: a chat chunk's {@code delta} (content, refusal,
     * reasoning, tool-call names and arguments), or a Responses event's {@code *.delta} text.
     */
    public static String streamedOutput(JsonNode event) {
        JsonNode choices = event.get("choices");
        if (choices != null && choices.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode choice : choices) {
                JsonNode delta = choice.path("delta");
                appendText(text, delta, "content");
                appendText(text, delta, "refusal");
                appendText(text, delta, "reasoning_content");
                for (JsonNode toolCall : delta.path("tool_calls")) {
                    appendText(text, toolCall.path("function"), "name");
                    appendText(text, toolCall.path("function"), "arguments");
                }
            }
            return text.length() == 0 ? null : text.toString();
        }
        JsonNode delta = event.get("delta");
        return event.path("type").asText("").endsWith(".delta") && delta != null && delta.isTextual() ? delta.textValue() : null;
    }

    private static void appendText(StringBuilder text, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual()) {
            text.append(value.textValue());
        }
    }

    /**
     * Usage from a response or one stream event: chat completions and embeddings report
     * {@code prompt_tokens}/{@code completion_tokens}, the Responses API {@code input_tokens}/{@code
     * output_tokens}, and its stream nests them in {@code response.completed}'s {@code response}.
     */
    public static Usage usageIn(JsonNode document) {
        JsonNode usage = document.get("usage");
        if ((usage == null || !usage.isObject()) && document.path("response").isObject()) {
            usage = document.get("response").get("usage");
        }
        if (usage == null || !usage.isObject()) {
            return null;
        }
        if (usage.has("input_tokens")) {
            return new Usage(Json.count(usage, "input_tokens"),
                    Json.count(usage.path("input_tokens_details"), "cached_tokens"), 0,
                    Json.count(usage, "output_tokens"),
                    Json.count(usage.path("output_tokens_details"), "reasoning_tokens"));
        }
        if (usage.has("prompt_tokens")) {
            return new Usage(Json.count(usage, "prompt_tokens"),
                    Json.count(usage.path("prompt_tokens_details"), "cached_tokens"), 0,
                    Json.count(usage, "completion_tokens"),
                    Json.count(usage.path("completion_tokens_details"), "reasoning_tokens"));
        }
        return null;
    }

    private static void addJson(JsonNode request, List<String> texts, String... fields) {
        for (String field : fields) {
            JsonNode value = request.get(field);
            if (value != null && !value.isNull()) {
                texts.add(value.isTextual() ? value.textValue() : value.toString());
            }
        }
    }

    private static long firstCount(JsonNode request, String... fields) {
        for (String field : fields) {
            long value = Json.count(request, field);
            if (value > 0) {
                return value;
            }
        }
        return 0;
    }

    /** Input given as text, a list of texts, token ids, or lists of token ids; returns the number of token ids. */
    private static long collectEmbeddingInput(JsonNode input, List<String> texts) {
        if (input.isTextual()) {
            texts.add(input.textValue());
            return 0;
        }
        long tokenIds = 0;
        if (input.isArray()) {
            for (JsonNode element : input) {
                if (element.isNumber()) {
                    tokenIds++;
                } else {
                    tokenIds += collectEmbeddingInput(element, texts);
                }
            }
        }
        return tokenIds;
    }
}
