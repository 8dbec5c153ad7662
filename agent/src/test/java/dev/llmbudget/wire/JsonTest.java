package dev.llmbudget.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parseFieldsKeepsOnlyTheNamedTopLevelFields() throws Exception {
        String body = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"" + "long text ".repeat(10_000)
                + "\",\"usage\":{\"prompt_tokens\":999}}}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3},"
                + "\"model\":\"gpt-4o\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        JsonNode kept = Json.parseFields(bytes, 0, bytes.length, Set.of("usage", "response"));

        assertEquals(Set.of("usage"), Set.copyOf(iterable(kept)));
        assertEquals(12, kept.path("usage").path("prompt_tokens").asLong(), "the top-level usage, not a nested one");
        assertEquals(3, kept.path("usage").path("completion_tokens").asLong());
    }

    @Test
    void aDocumentThatIsNotAnObjectGivesNull() throws Exception {
        byte[] array = "[1,2]".getBytes(StandardCharsets.UTF_8);
        assertNull(Json.parseFields(array, 0, array.length, Set.of("usage")));
    }

    @Test
    void nestedFieldsUnderAKeptFieldAreKeptWhole() throws Exception {
        byte[] event = "{\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"usage\":{\"input_tokens\":5}}}"
                .getBytes(StandardCharsets.UTF_8);
        JsonNode kept = Json.parseFields(event, 0, event.length, Set.of("usage", "response"));
        assertEquals(5, kept.path("response").path("usage").path("input_tokens").asLong());
        assertFalse(kept.has("type"));
        assertTrue(kept.path("response").has("id"));
    }

    private static java.util.List<String> iterable(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
