package dev.llmbudget.wire.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Usage;
import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.wire.Json;
import dev.llmbudget.wire.JsonBodyUsageReader;
import dev.llmbudget.wire.SseUsageReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiProtocolTest {
    private static final String FINGERPRINT = "sk-…AbCd#1a2b";
    /** 2 KB of base64 that must never be counted as text. */
    private static final String BASE64_IMAGE = "data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAA".repeat(90);

    private static LlmCall read(OpenAiEndpoint endpoint, String body) throws IOException {
        return OpenAiProtocol.readRequest(endpoint, body.getBytes(StandardCharsets.UTF_8), null, FINGERPRINT);
    }

    private static JsonNode json(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Json.parse(bytes, 0, bytes.length);
    }

    private static String allText(Prompt prompt) {
        return String.join("\n", prompt.texts());
    }

    // ---- chat completions ----

    @Test
    void readsAChatCompletionsRequest() throws IOException {
        LlmCall call = read(OpenAiEndpoint.CHAT_COMPLETIONS, """
                {
                  "model": "gpt-4o-mini",
                  "messages": [
                    {"role": "system", "content": "You are a careful analyst."},
                    {"role": "user", "content": "Summarise the Q3 report in three bullets."}
                  ],
                  "max_tokens": 256,
                  "temperature": 0.2
                }
                """);

        assertEquals("openai", call.provider());
        assertEquals("chat.completions", call.endpoint());
        assertEquals("gpt-4o-mini", call.model());
        assertEquals(256, call.maxOutputTokens());
        assertEquals(1, call.choices());
        assertTrue(call.producesOutput());
        assertFalse(call.stream());
        assertEquals(FINGERPRINT, call.keyFingerprint());
        assertEquals(2, call.prompt().messages());
        assertEquals(0, call.prompt().images());
        assertTrue(call.prompt().texts().contains("You are a careful analyst."), call.prompt().texts().toString());
        assertTrue(call.prompt().texts().contains("Summarise the Q3 report in three bullets."));
    }

    @Test
    void maxCompletionTokensTakesPrecedenceOverMaxTokens() throws IOException {
        LlmCall both = read(OpenAiEndpoint.CHAT_COMPLETIONS, """
                {"model":"o3-mini","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":5000,"max_tokens":100}
                """);
        assertEquals(5_000, both.maxOutputTokens());
        LlmCall onlyNew = read(OpenAiEndpoint.CHAT_COMPLETIONS, """
                {"model":"o3-mini","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":777}
                """);
        assertEquals(777, onlyNew.maxOutputTokens());
    }

    @Test
    void noOutputCeilingIsZeroSoTheDefaultApplies() throws IOException {
        LlmCall call = read(OpenAiEndpoint.CHAT_COMPLETIONS, """
                {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"max_tokens":null}
                """);
        assertEquals(0, call.maxOutputTokens());
    }

    @Test
    void readsStreamAndChoiceCount() throws IOException {
        LlmCall call = read(OpenAiEndpoint.CHAT_COMPLETIONS, """
                {"model":"gpt-4o","messages":[{"role":"user","content":"Name a colour."}],"n":3,"stream":true,
                 "stream_options":{"include_usage":true},"max_tokens":10}
                """);
        assertEquals(3, call.choices());
        assertTrue(call.stream());
        assertInstanceOf(SseUsageReader.class, OpenAiProtocol.usageReader(call));
        LlmCall plain = read(OpenAiEndpoint.CHAT_COMPLETIONS, """
                {"model":"gpt-4o","messages":[{"role":"user","content":"x"}]}
                """);
        assertInstanceOf(JsonBodyUsageReader.class, OpenAiProtocol.usageReader(plain));
    }

    @Test
    void imagesAreCountedNotReadAsText() throws IOException {
        LlmCall call = read(OpenAiEndpoint.CHAT_COMPLETIONS, """
                {"model":"gpt-4o","max_tokens":300,"messages":[{"role":"user","content":[
                  {"type":"text","text":"What is in this image?"},
                  {"type":"image_url","image_url":{"url":"%s","detail":"high"}},
                  {"type":"image_url","image_url":{"url":"https://upload.wikimedia.org/boardwalk.jpg"}}
                ]}]}
                """.formatted(BASE64_IMAGE));

        assertEquals(2, call.prompt().images());
        assertEquals(1, call.prompt().messages());
        assertTrue(call.prompt().texts().contains("What is in this image?"));
        assertFalse(allText(call.prompt()).contains("iVBORw0KGgo"), "base64 image data was counted as text");
        assertTrue(call.prompt().utf8Bytes() < 200, "prompt bytes: " + call.prompt().utf8Bytes());
    }

    @Test
    void toolDefinitionsToolCallsAndResultsAreBilledInput() throws IOException {
        LlmCall call = read(OpenAiEndpoint.CHAT_COMPLETIONS, """
                {"model":"gpt-4.1","messages":[
                   {"role":"user","content":"Weather in Paris?"},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"call_abc","type":"function",
                      "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                   {"role":"tool","tool_call_id":"call_abc","content":"{\\"temp_c\\":18}"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
                    "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "response_format":{"type":"json_object"}}
                """);
        String text = allText(call.prompt());
        assertEquals(3, call.prompt().messages());
        assertTrue(text.contains("{\"city\":\"Paris\"}"), text);
        assertTrue(text.contains("{\"temp_c\":18}"), text);
        assertTrue(text.contains("Current weather for a city"), text);
        assertTrue(text.contains("json_object"), text);
    }

    @Test
    void theUrlsDeploymentNamesTheModelWhenTheBodyDoesNot() throws IOException {
        byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
        LlmCall call = OpenAiProtocol.readRequest(OpenAiEndpoint.CHAT_COMPLETIONS, body, "my-gpt4o-deployment", null);
        assertEquals("my-gpt4o-deployment", call.model());
        assertNull(call.keyFingerprint());

        byte[] named = "{\"model\":\"gpt-4o\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        assertEquals("gpt-4o", OpenAiProtocol.readRequest(OpenAiEndpoint.CHAT_COMPLETIONS, named, "dep", null).model());
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsAnIOException() {
        assertThrows(IOException.class, () -> read(OpenAiEndpoint.CHAT_COMPLETIONS, "[1,2,3]"));
        assertThrows(IOException.class, () -> read(OpenAiEndpoint.CHAT_COMPLETIONS, "{\"model\": \"gpt-4o\", "));
        assertThrows(IOException.class, () -> read(OpenAiEndpoint.CHAT_COMPLETIONS, "model=gpt-4o"));
    }

    // ---- responses ----

    @Test
    void readsAResponsesRequestWithStringInput() throws IOException {
        LlmCall call = read(OpenAiEndpoint.RESPONSES, """
                {"model":"gpt-4.1","instructions":"Talk like a pirate.","input":"Are semicolons optional in JavaScript?",
                 "max_output_tokens":500,"stream":true}
                """);

        assertEquals("responses", call.endpoint());
        assertEquals("gpt-4.1", call.model());
        assertEquals(500, call.maxOutputTokens());
        assertEquals(1, call.choices());
        assertTrue(call.stream());
        assertEquals(2, call.prompt().messages(), "the input and the instructions");
        assertTrue(call.prompt().texts().contains("Talk like a pirate."));
        assertTrue(call.prompt().texts().contains("Are semicolons optional in JavaScript?"));
    }

    @Test
    void readsAResponsesRequestWithItemInputAndImages() throws IOException {
        LlmCall call = read(OpenAiEndpoint.RESPONSES, """
                {"model":"gpt-4o","input":[
                   {"role":"developer","content":"Be brief."},
                   {"role":"user","content":[
                      {"type":"input_text","text":"what is in this image?"},
                      {"type":"input_image","image_url":"%s"}]}],
                 "tools":[{"type":"web_search_preview"}]}
                """.formatted(BASE64_IMAGE));

        assertEquals(0, call.maxOutputTokens());
        assertEquals(2, call.prompt().messages());
        assertEquals(1, call.prompt().images());
        assertTrue(call.prompt().texts().contains("what is in this image?"));
        assertTrue(allText(call.prompt()).contains("web_search_preview"));
        assertFalse(allText(call.prompt()).contains("iVBORw0KGgo"));
    }

    // ---- embeddings and legacy completions ----

    @Test
    void embeddingsHaveNoOutputAndCountTokenIds() throws IOException {
        LlmCall text = read(OpenAiEndpoint.EMBEDDINGS, """
                {"model":"text-embedding-3-small","input":["The food was delicious", "and the waiter..."],"encoding_format":"float"}
                """);
        assertFalse(text.producesOutput());
        assertEquals(0, text.maxOutputTokens());
        assertEquals(java.util.List.of("The food was delicious", "and the waiter..."), text.prompt().texts());

        LlmCall ids = read(OpenAiEndpoint.EMBEDDINGS, """
                {"model":"text-embedding-3-small","input":[[1820, 25977, 574], [1234, 5678]]}
                """);
        assertEquals(5, ids.prompt().preTokenized());
    }

    @Test
    void legacyCompletionsDefaultToSixteenTokensAndCountBestOf() throws IOException {
        LlmCall call = read(OpenAiEndpoint.COMPLETIONS, """
                {"model":"gpt-3.5-turbo-instruct","prompt":"Say this is a test","n":2,"best_of":5}
                """);
        assertEquals("completions", call.endpoint());
        assertEquals(16, call.maxOutputTokens());
        assertEquals(5, call.choices());
        assertEquals(java.util.List.of("Say this is a test"), call.prompt().texts());
    }

    // ---- usage ----

    @Test
    void usageInReadsChatCompletionsUsage() throws IOException {
        Usage usage = OpenAiProtocol.usageIn(json("""
                {"object":"chat.completion","usage":{"prompt_tokens":1117,"completion_tokens":846,"total_tokens":1963,
                 "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":800,"audio_tokens":0}}}
                """));
        assertEquals(new Usage(1117, 1024, 0, 846, 800), usage);
    }

    @Test
    void usageInReadsResponsesUsageTopLevelAndNested() throws IOException {
        Usage expected = new Usage(37, 5, 0, 11, 3);
        String usage = "{\"input_tokens\":37,\"input_tokens_details\":{\"cached_tokens\":5},\"output_tokens\":11,"
                + "\"output_tokens_details\":{\"reasoning_tokens\":3},\"total_tokens\":48}";
        assertEquals(expected, OpenAiProtocol.usageIn(json("{\"object\":\"response\",\"usage\":" + usage + "}")));
        assertEquals(expected, OpenAiProtocol.usageIn(json(
                "{\"type\":\"response.completed\",\"response\":{\"object\":\"response\",\"usage\":" + usage + "}}")));
    }

    @Test
    void usageInIsNullWhenThereIsNone() throws IOException {
        assertNull(OpenAiProtocol.usageIn(json("{\"object\":\"chat.completion.chunk\",\"usage\":null}")));
        assertNull(OpenAiProtocol.usageIn(json("{\"type\":\"response.created\",\"response\":{\"usage\":null}}")));
        assertNull(OpenAiProtocol.usageIn(json("{\"type\":\"response.in_progress\",\"response\":{}}")));
        assertNull(OpenAiProtocol.usageIn(json("{\"usage\":{\"total_tokens\":3}}")));
        assertNull(OpenAiProtocol.usageIn(json("{}")));
    }

    @Test
    void aChatStreamIsAskedForItsUsageAndNothingElseIsRewritten() throws Exception {
        byte[] stream = "{\"messages\":[{\"content\":\"Hi\",\"role\":\"user\"}],\"model\":\"gpt-4o\",\"stream\":true}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] rewritten = OpenAiProtocol.withStreamUsageRequested(OpenAiEndpoint.CHAT_COMPLETIONS, stream);
        com.fasterxml.jackson.databind.JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rewritten);
        assertEquals(true, sent.path("stream_options").path("include_usage").asBoolean());
        assertEquals("gpt-4o", sent.path("model").asText());
        assertEquals("Hi", sent.path("messages").get(0).path("content").asText());

        byte[] asked = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(null, OpenAiProtocol.withStreamUsageRequested(OpenAiEndpoint.CHAT_COMPLETIONS, asked));
        byte[] plain = "{\"model\":\"gpt-4o\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(null, OpenAiProtocol.withStreamUsageRequested(OpenAiEndpoint.CHAT_COMPLETIONS, plain));
        assertEquals(null, OpenAiProtocol.withStreamUsageRequested(OpenAiEndpoint.RESPONSES, stream),
                "a Responses stream reports usage in response.completed anyway");
    }

    @Test
    void theOutputCeilingIsWrittenToTheFieldEachEndpointReads() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        byte[] chat = "{\"model\":\"gpt-4o\",\"max_completion_tokens\":5000}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] legacy = "{\"model\":\"gpt-4o\",\"max_tokens\":5000}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] none = "{\"model\":\"gpt-4o\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] responses = "{\"model\":\"gpt-4o\",\"input\":\"hi\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        var sentChat = json.readTree(OpenAiProtocol.rewrite(OpenAiEndpoint.CHAT_COMPLETIONS, chat, 100).body());
        var sentLegacy = json.readTree(OpenAiProtocol.rewrite(OpenAiEndpoint.CHAT_COMPLETIONS, legacy, 100).body());
        var sentNone = json.readTree(OpenAiProtocol.rewrite(OpenAiEndpoint.CHAT_COMPLETIONS, none, 100).body());
        var sentResponses = json.readTree(OpenAiProtocol.rewrite(OpenAiEndpoint.RESPONSES, responses, 100).body());

        assertEquals(100, sentChat.path("max_completion_tokens").asLong());
        assertEquals(100, sentLegacy.path("max_tokens").asLong());
        assertTrue(sentLegacy.path("max_completion_tokens").isMissingNode(), "a legacy request keeps its own field");
        assertEquals(100, sentNone.path("max_completion_tokens").asLong());
        assertEquals(100, sentResponses.path("max_output_tokens").asLong());
        assertEquals(null, OpenAiProtocol.rewrite(OpenAiEndpoint.CHAT_COMPLETIONS, chat, 0), "nothing to change");
        assertEquals(false, OpenAiProtocol.rewrite(OpenAiEndpoint.CHAT_COMPLETIONS, chat, 100).addsUsageChunk());
    }
}
