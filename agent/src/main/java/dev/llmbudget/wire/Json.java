package dev.llmbudget.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/** The agent's one JSON parser (shaded Jackson), and walks over request trees that every protocol needs. */
public final class Json {
    /** Request and response bodies of LLM calls can be large (long prompts, base64 images). */
    private static final int MAX_STRING_LENGTH = 512 * 1024 * 1024;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build())
            .build());

    private Json() {
    }

    public static JsonNode parse(byte[] bytes, int offset, int length) throws IOException {
        return MAPPER.readTree(bytes, offset, length);
    }

    /**
     * Only the named top-level fields of a JSON object, as a tree; every other field is skipped by the
     * parser without being built (a response's generated text can be long, and only its usage is read).
     * Null when the document is not an object.
     */
    public static JsonNode parseFields(byte[] bytes, int offset, int length, Set<String> fields) throws IOException {
        try (JsonParser parser = MAPPER.getFactory().createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode kept = MAPPER.createObjectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (fields.contains(name)) {
                    kept.set(name, MAPPER.readTree(parser));
                } else {
                    parser.skipChildren();
                }
            }
            return kept;
        }
    }

    /** Counts what a walk over a request found besides text. */
    public static final class Findings {
        public int images;
    }

    /**
     * Adds every string in {@code node} to {@code texts}: what a provider bills as input is text
     * wherever it sits (content, names, tool calls, tool results). Image parts are counted instead of
     * read, so a base64 image is not mistaken for text.
     */
    public static void collectText(JsonNode node, List<String> texts, Findings findings) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isTextual()) {
            texts.add(node.textValue());
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                collectText(element, texts, findings);
            }
        } else if (node.isObject()) {
            if (isImage(node)) {
                findings.images++;
                return;
            }
            node.fields().forEachRemaining(field -> collectText(field.getValue(), texts, findings));
        }
    }

    private static boolean isImage(JsonNode part) {
        JsonNode type = part.get("type");
        if (type == null || !type.isTextual()) {
            return false;
        }
        String name = type.textValue();
        return name.equals("image_url") || name.equals("input_image") || name.equals("image");
    }

    /** A non-negative whole number at {@code field}, or 0. */
    public static long count(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.canConvertToLong() ? Math.max(0, value.asLong()) : 0;
    }
}
