package dev.llmbudget.wire.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The Anthropic Messages API wire protocol, as the anthropic-java SDK speaks it: reads a request body
 * into an {@link LlmCall} and a response (JSON or SSE) into {@link Usage}.
 *
 * <p>Anthropic reports {@code input_tokens} <em>without</em> the cache-read and cache-write tokens;
 * {@link Usage} counts every input token, so they are added back here.
 */
public final class AnthropicProtocol {
    public static final String PROVIDER = "anthropic";

    private AnthropicProtocol() {
    }

    /**
     * Reads a request body. {@code max_tokens} is mandatory in the API; when absent the call's ceiling
     * is 0, so the guard applies its default.
     */
    public static LlmCall readRequest(AnthropicEndpoint endpoint, byte[] body, String keyFingerprint)
            throws IOException {
        JsonNode request = Json.parse(body, 0, body.length);
        if (request == null || !request.isObject()) {
            throw new IOException("request body is not a JSON object");
        }
        String model = request.path("model").isTextual() ? request.get("model").textValue() : null;
        boolean stream = request.path("stream").asBoolean(false);
        List<String> texts = new ArrayList<>();
        Json.Findings findings = new Json.Findings();
        return switch (endpoint) {
            case MESSAGES -> {
                JsonNode system = request.get("system");
                boolean hasSystem = system != null && !system.isNull();
                if (hasSystem) {
                    collectContent(system, texts, findings);
                }
                JsonNode messages = request.path("messages");
                int messageCount = 0;
                if (messages.isArray()) {
                    for (JsonNode message : messages) {
                        collectContent(message.get("content"), texts, findings);
                        messageCount++;
                    }
                }
                collectTools(request.get("tools"), texts);
                JsonNode toolChoice = request.get("tool_choice");
                if (toolChoice != null && toolChoice.path("name").isTextual()) {
                    texts.add(toolChoice.get("name").textValue());
                }
                yield new LlmCall(PROVIDER, endpoint.label(), model,
                        new Prompt(texts, messageCount + (hasSystem ? 1 : 0), findings.images, 0),
                        Json.count(request, "max_tokens"), 1, true, stream, keyFingerprint);
            }
        };
    }

    /** A reader for the usage in this call's response: SSE (with a fresh stateful extractor) for streams, JSON otherwise. */
    public static UsageReader usageReader(LlmCall call) {
        return call.stream() ? new SseUsageReader(streamUsageExtractor()) : new JsonBodyUsageReader(AnthropicProtocol::usageIn);
    }

    /** The body with {@code max_tokens} set to {@code maxTokens}: the output ceiling applied. */
    public static byte[] withMaxTokens(byte[] body, long maxTokens) throws IOException {
        JsonNode request = Json.parse(body, 0, body.length);
        if (!(request instanceof com.fasterxml.jackson.databind.node.ObjectNode object)) {
            throw new IOException("the request body is not a JSON object");
        }
        object.put("max_tokens", maxTokens);
        return Json.MAPPER.writeValueAsBytes(object);
    }

    /**
     * Usage of a non-stream Messages response (its top-level {@code usage}), normalised; null when
     * the document has no usage object.
     */
    public static Usage usageIn(JsonNode document) {
        JsonNode usage = document == null ? null : document.get("usage");
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long input = Json.count(usage, "input_tokens");
        long cacheWrite = Json.count(usage, "cache_creation_input_tokens");
        long cacheRead = Json.count(usage, "cache_read_input_tokens");
        return new Usage(input + cacheWrite + cacheRead, cacheRead, cacheWrite, Json.count(usage, "output_tokens"), 0);
    }

    /**
     * A new extractor for one stream's events. It keeps state: input and cache counts come with
     * {@code message_start} (or a {@code message_delta} that carries them), output counts are
     * cumulative; each {@code message_delta} returns the merged usage so far, and nothing before the
     * first one does (see {@link StreamUsage#usageIn}).
     */
    public static UsageExtractor streamUsageExtractor() {
        return new StreamUsage();
    }

    private static final class StreamUsage implements UsageExtractor {
        /** A {@code content_block_delta}'s generated text: text, tool-input JSON or thinking. */
        @Override
        public String outputTextIn(JsonNode event) {
            if (event == null || !"content_block_delta".equals(event.path("type").asText(""))) {
                return null;
            }
            JsonNode delta = event.path("delta");
            for (String field : new String[] {"text", "partial_json", "thinking"}) {
                if (delta.path(field).isTextual()) {
                    return delta.get(field).textValue();
                }
            }
            return null;
        }

        private long input;
        private long cacheWrite;
        private long cacheRead;
        private long output;

        @Override
        public Usage usageIn(JsonNode event) {
            if (event == null || !event.isObject()) {
                return null;
            }
            String type = event.path("type").asText("");
            JsonNode usage = "message_start".equals(type) ? event.path("message").get("usage") : event.get("usage");
            if (usage == null || !usage.isObject()) {
                return null;
            }
            input = replaceIfPositive(input, usage, "input_tokens");
            cacheWrite = replaceIfPositive(cacheWrite, usage, "cache_creation_input_tokens");
            cacheRead = replaceIfPositive(cacheRead, usage, "cache_read_input_tokens");
            // cumulative: the latest is the largest; never go back on a count already seen
            output = Math.max(output, Json.count(usage, "output_tokens"));
            // message_start's output count is the first token only: until a message_delta brings the
            // cumulative count, the stream's output is unknown, and a stream cut here must not be
            // settled as if it had produced one token (it is charged its reservation instead)
            if (!"message_delta".equals(type)) {
                return null;
            }
            return new Usage(input + cacheWrite + cacheRead, cacheRead, cacheWrite, output, 0);
        }

        private static long replaceIfPositive(long current, JsonNode usage, String field) {
            long value = Json.count(usage, field);
            return value > 0 ? value : current;
        }
    }

    /** {@code system} or a message's {@code content}: a string, or an array of content blocks. */
    private static void collectContent(JsonNode content, List<String> texts, Json.Findings findings) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return;
        }
        if (content.isTextual()) {
            texts.add(content.textValue());
        } else if (content.isArray()) {
            for (JsonNode block : content) {
                collectBlock(block, texts, findings);
            }
        } else if (content.isObject()) {
            collectBlock(content, texts, findings);
        }
    }

    private static void collectBlock(JsonNode block, List<String> texts, Json.Findings findings) {
        if (block.isTextual()) {
            texts.add(block.textValue());
            return;
        }
        if (!block.isObject()) {
            return;
        }
        switch (block.path("type").asText("")) {
            case "text" -> addText(block, "text", texts);
            case "image" -> findings.images++;
            case "document" -> {
                JsonNode source = block.path("source");
                switch (source.path("type").asText("")) {
                    case "text" -> addText(source, "data", texts);
                    case "content" -> collectContent(source.get("content"), texts, findings);
                    // base64 or URL PDFs, files: priced at the image bound, never read as text
                    default -> findings.images++;
                }
                addText(block, "title", texts);
                addText(block, "context", texts);
            }
            case "tool_use", "server_tool_use" -> {
                addText(block, "name", texts);
                JsonNode input = block.get("input");
                if (input != null && !input.isNull()) {
                    texts.add(input.isTextual() ? input.textValue() : input.toString());
                }
            }
            case "tool_result" -> collectContent(block.get("content"), texts, findings);
            case "thinking" -> addText(block, "thinking", texts);
            case "redacted_thinking" -> addText(block, "data", texts);
            case "search_result" -> {
                addText(block, "title", texts);
                addText(block, "source", texts);
                collectContent(block.get("content"), texts, findings);
            }
            // other blocks (server tool results, container uploads...): every string in them
            default -> Json.collectText(block, texts, findings);
        }
    }

    private static void addText(JsonNode node, String field, List<String> texts) {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual()) {
            texts.add(value.textValue());
        }
    }

    /** Each tool's name, description and input schema (as JSON); server tools by name and settings. */
    private static void collectTools(JsonNode tools, List<String> texts) {
        if (tools == null || !tools.isArray()) {
            return;
        }
        for (JsonNode tool : tools) {
            if (!tool.isObject()) {
                continue;
            }
            addText(tool, "name", texts);
            addText(tool, "description", texts);
            JsonNode schema = tool.get("input_schema");
            if (schema != null && !schema.isNull()) {
                texts.add(schema.toString());
            }
        }
    }
}
