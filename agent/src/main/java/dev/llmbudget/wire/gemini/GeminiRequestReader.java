package dev.llmbudget.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.wire.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a Gemini request bills as input, read from its body. Every text the model reads is collected:
 * the turns of {@code contents}, the {@code systemInstruction}, tool declarations, and the response
 * schema (all sent to the model as tokens). Tokens of a referenced {@code cachedContent} are billed too,
 * but they are not in the body; the provider's usage report settles them.
 */
final class GeminiRequestReader {
    private final List<String> texts = new ArrayList<>();
    private final Json.Findings findings = new Json.Findings();

    private GeminiRequestReader() {
    }

    /** {@code generateContent} and {@code streamGenerateContent}. */
    static LlmCall generation(GeminiEndpoint endpoint, JsonNode request, String keyFingerprint) {
        GeminiRequestReader reader = new GeminiRequestReader();
        int messages = 0;
        JsonNode contents = request.get("contents");
        if (contents != null && contents.isArray()) {
            for (JsonNode content : contents) {
                reader.content(content);
                messages++;
            }
        } else if (contents != null && contents.isObject()) {
            reader.content(contents); // one Content, as lenient clients send it
            messages = 1;
        }
        JsonNode system = GeminiFields.get(request, "systemInstruction", "system_instruction");
        if (system != null) {
            reader.content(system);
            messages++;
        }
        reader.json(GeminiFields.get(request, "tools", "tools"));
        reader.json(GeminiFields.get(request, "toolConfig", "tool_config"));
        JsonNode config = GeminiFields.get(request, "generationConfig", "generation_config");
        reader.json(GeminiFields.get(config, "responseSchema", "response_schema"));
        reader.json(GeminiFields.get(config, "responseJsonSchema", "response_json_schema"));
        long maxOutputTokens = GeminiFields.count(config, "maxOutputTokens", "max_output_tokens");
        long candidates = Math.max(1, GeminiFields.count(config, "candidateCount", "candidate_count"));
        return new LlmCall(GeminiProtocol.PROVIDER, endpoint.label(), endpoint.model(),
                new Prompt(reader.texts, messages, reader.findings.images, 0), maxOutputTokens,
                (int) Math.min(candidates, Integer.MAX_VALUE), true, endpoint.stream(), keyFingerprint);
    }

    /** {@code embedContent} (one content) and {@code batchEmbedContents} (a list of such requests). */
    static LlmCall embedding(GeminiEndpoint endpoint, JsonNode request, String keyFingerprint) {
        GeminiRequestReader reader = new GeminiRequestReader();
        JsonNode requests = request.get("requests");
        if (requests != null && requests.isArray()) {
            for (JsonNode single : requests) {
                reader.embedRequest(single);
            }
        } else {
            reader.embedRequest(request);
        }
        return new LlmCall(GeminiProtocol.PROVIDER, endpoint.label(), endpoint.model(),
                new Prompt(reader.texts, 0, reader.findings.images, 0), 0, 1, false, false, keyFingerprint);
    }

    private void embedRequest(JsonNode request) {
        content(GeminiFields.get(request, "content", "content"));
        JsonNode title = GeminiFields.get(request, "title", "title");
        if (title != null && title.isTextual()) {
            texts.add(title.textValue()); // a document's title is embedded with it
        }
    }

    /** A Content ({@code {role, parts}}), or leniently a bare string or list of parts. */
    private void content(JsonNode content) {
        if (content == null) {
            return;
        }
        if (content.isTextual()) {
            texts.add(content.textValue());
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                part(part);
            }
        } else if (content.isObject()) {
            JsonNode parts = content.get("parts");
            if (parts != null && parts.isArray()) {
                for (JsonNode part : parts) {
                    part(part);
                }
            } else if (parts != null) {
                part(parts);
            }
        }
    }

    /**
     * One Part. Media ({@code inlineData}, {@code fileData}: images, but also audio, video, PDFs) is
     * counted at the image bound, never read: its base64 is no text the model bills. Thought
     * signatures are opaque state handed back to the model, not prompt text.
     */
    private void part(JsonNode part) {
        if (part.isTextual()) {
            texts.add(part.textValue());
            return;
        }
        if (!part.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = part.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "text" -> {
                    if (value.isTextual()) {
                        texts.add(value.textValue());
                    }
                }
                case "inlineData", "inline_data", "fileData", "file_data" -> findings.images++;
                case "functionCall", "function_call" -> json(value);
                case "functionResponse", "function_response" -> functionResponse(value);
                case "thought", "thoughtSignature", "thought_signature", "videoMetadata", "video_metadata",
                        "mediaResolution", "media_resolution", "partMetadata", "part_metadata" -> {
                    // settings and opaque state, not prompt text
                }
                default -> Json.collectText(value, texts, findings); // executableCode, codeExecutionResult, newer parts
            }
        }
    }

    /** A function's result as JSON; media parts it returns (newer models accept them) counted as media, not text. */
    private void functionResponse(JsonNode response) {
        JsonNode parts = response.get("parts");
        if (response instanceof ObjectNode object && parts != null && parts.isArray()) {
            ObjectNode withoutParts = object.deepCopy();
            withoutParts.remove("parts");
            json(withoutParts);
            for (JsonNode part : parts) {
                part(part);
            }
        } else {
            json(response);
        }
    }

    /** A structure the model reads as JSON text: tool declarations, tool config, schemas, function calls. */
    private void json(JsonNode value) {
        if (value != null && !value.isNull() && !value.isMissingNode()) {
            texts.add(value.isTextual() ? value.textValue() : value.toString());
        }
    }
}
