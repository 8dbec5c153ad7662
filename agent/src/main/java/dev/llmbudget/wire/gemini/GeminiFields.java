package dev.llmbudget.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Request fields by either of their names. The Gemini REST API reads proto JSON, which accepts a field's
 * lowerCamelCase name and its proto snake_case name alike, and Google's own curl samples use both
 * ({@code system_instruction}, {@code inline_data}, {@code max_output_tokens}): a field read under
 * one name only would be missed, and a prompt or an output ceiling with it.
 */
final class GeminiFields {
    private GeminiFields() {
    }

    /** The value at {@code camel}, else at {@code snake}; null when both are absent or JSON null. */
    static JsonNode get(JsonNode node, String camel, String snake) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(camel);
        if (value == null || value.isNull()) {
            value = node.get(snake);
        }
        return value == null || value.isNull() ? null : value;
    }

    /**
     * A non-negative whole number at either name, or 0. Proto JSON lets a client write a number as a
     * string ({@code "maxOutputTokens": "256"}), and the server honours it, so the agent reads it too.
     */
    static long count(JsonNode node, String camel, String snake) {
        JsonNode value = get(node, camel, snake);
        if (value == null) {
            return 0;
        }
        if (value.isNumber()) {
            return value.canConvertToLong() ? Math.max(0, value.asLong()) : 0;
        }
        if (value.isTextual()) {
            try {
                return Math.max(0, Long.parseLong(value.textValue().trim()));
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
        return 0;
    }

    /** Whether either name is present with a value. */
    static boolean has(JsonNode node, String camel, String snake) {
        return get(node, camel, snake) != null;
    }
}
