package dev.llmbudget.wire.gemini;

import static dev.llmbudget.wire.gemini.GeminiWireSamples.BASE;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.readInRandomPieces;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.readWhole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Usage;
import dev.llmbudget.wire.Json;
import dev.llmbudget.wire.KeyFingerprint;
import dev.llmbudget.wire.SseUsageReader;
import dev.llmbudget.wire.UsageReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class GeminiProtocolTest {
    private static final String FINGERPRINT = "…qsHI#1a2b";
    private static final String API_KEY = "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI";
    /** base64 that must never be counted as text. */
    private static final String BASE64 = "iVBORw0KGgoAAAANSUhEUgAA".repeat(90);

    private static final GeminiEndpoint GENERATE = GeminiEndpoint.of("POST", BASE + ":generateContent");
    private static final GeminiEndpoint STREAM_SSE = GeminiEndpoint.of("POST", BASE + ":streamGenerateContent?alt=sse");
    private static final GeminiEndpoint STREAM_ARRAY = GeminiEndpoint.of("POST", BASE + ":streamGenerateContent");

    private static LlmCall read(GeminiEndpoint endpoint, String body) throws IOException {
        return GeminiProtocol.readRequest(endpoint, body.getBytes(StandardCharsets.UTF_8), FINGERPRINT);
    }

    private static JsonNode json(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Json.parse(bytes, 0, bytes.length);
    }

    private static JsonNode json(byte[] bytes) throws IOException {
        return Json.parse(bytes, 0, bytes.length);
    }

    private static String allText(LlmCall call) {
        return String.join("\n", call.prompt().texts());
    }

    private static UnaryOperator<String> headers(Map<String, String> values) {
        return values::get;
    }

    // ---- requests ----

    @Test
    void readsARequestAsTheSdkSendsIt() throws IOException {
        LlmCall call = read(GENERATE, """
                {"contents":[{"parts":[{"text":"Explain how AI works in a few words"}],"role":"user"}],\
                "systemInstruction":{"parts":[{"text":"Be brief."}],"role":"user"},\
                "generationConfig":{"maxOutputTokens":256,"temperature":0.2}}""");

        assertEquals("gemini", call.provider());
        assertEquals(GeminiProtocol.PROVIDER, call.provider());
        assertEquals("generateContent", call.endpoint());
        assertEquals("gemini-2.5-flash", call.model());
        assertEquals(256, call.maxOutputTokens());
        assertEquals(1, call.choices());
        assertTrue(call.producesOutput());
        assertFalse(call.stream());
        assertEquals(FINGERPRINT, call.keyFingerprint());
        assertEquals(List.of("Explain how AI works in a few words", "Be brief."), call.prompt().texts());
        // the turn, and the system instruction like OpenAI's system message
        assertEquals(2, call.prompt().messages());
        assertEquals(0, call.prompt().images());
        assertEquals(0, call.prompt().preTokenized());
    }

    @Test
    void readsAPrettyPrintedSnakeCaseRequestWithItsKeysInAnyOrder() throws IOException {
        // the form of Google's curl samples: proto field names, config before contents
        LlmCall call = read(STREAM_SSE, """
                {
                  "generation_config": {
                    "candidate_count": 2,
                    "max_output_tokens": 1000,
                    "response_mime_type": "application/json",
                    "response_schema": {"type": "OBJECT", "properties": {"recipe_name": {"type": "STRING"}}}
                  },
                  "system_instruction": {
                    "parts": [
                      {"text": "You are a cat. Your name is Neko."}
                    ]
                  },
                  "contents": [
                    {
                      "parts": [
                        {"inline_data": {"mime_type": "image/jpeg", "data": "%s"}},
                        {"text": "Caption this image."}
                      ]
                    }
                  ]
                }
                """.formatted(BASE64));

        assertEquals(1000, call.maxOutputTokens());
        assertEquals(2, call.choices());
        assertTrue(call.stream());
        assertEquals("streamGenerateContent", call.endpoint());
        assertEquals(1, call.prompt().images());
        assertEquals(2, call.prompt().messages());
        assertTrue(call.prompt().texts().contains("You are a cat. Your name is Neko."));
        assertTrue(call.prompt().texts().contains("Caption this image."));
        assertTrue(allText(call).contains("recipe_name"), "the response schema is read by the model");
        assertFalse(allText(call).contains("iVBORw0KGgo"));
    }

    @Test
    void aMissingOutputCeilingIsZeroAndChoicesDefaultToOne() throws IOException {
        LlmCall call = read(STREAM_ARRAY, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}");
        assertEquals(0, call.maxOutputTokens());
        assertEquals(1, call.choices());
        assertEquals(1, call.prompt().messages());
        assertTrue(call.stream());
        assertEquals(0, read(GENERATE, "{\"contents\":[],\"generationConfig\":{}}").maxOutputTokens());
        assertEquals(0, read(GENERATE, "{\"contents\":[],\"generationConfig\":null}").maxOutputTokens());
        assertEquals(0, read(GENERATE, "{\"generationConfig\":{\"maxOutputTokens\":-5}}").maxOutputTokens());
        assertEquals(1, read(GENERATE, "{\"generationConfig\":{\"candidateCount\":0}}").choices());
    }

    @Test
    void numbersWrittenAsStringsAreRead() throws IOException {
        LlmCall call = read(GENERATE, """
                {"contents":[],"generationConfig":{"maxOutputTokens":"512","candidateCount":"3"}}""");
        assertEquals(512, call.maxOutputTokens());
        assertEquals(3, call.choices());
        assertEquals(0, read(GENERATE, "{\"generationConfig\":{\"maxOutputTokens\":\"lots\"}}").maxOutputTokens());
    }

    @Test
    void readsAMultiTurnConversationWithFunctionCallsAndTools() throws IOException {
        LlmCall call = read(GENERATE, """
                {"contents":[
                   {"role":"user","parts":[{"text":"What is the weather in Boston?"}]},
                   {"role":"model","parts":[{"functionCall":{"name":"get_current_weather","args":{"location":"Boston, MA"}},
                                             "thoughtSignature":"CiQB0e2Kb8zJ3Qx0opaqueSignature"}]},
                   {"role":"user","parts":[{"functionResponse":{"name":"get_current_weather",
                                             "response":{"temperature":"38F","conditions":"sleet"}}}]}],
                 "tools":[{"functionDeclarations":[{"name":"get_current_weather","description":"Get the current weather in a given location",
                           "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}]},
                          {"googleSearch":{}}],
                 "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_current_weather"]}}}""");

        assertEquals(3, call.prompt().messages());
        List<String> texts = call.prompt().texts();
        assertEquals("What is the weather in Boston?", texts.get(0));
        assertEquals("{\"name\":\"get_current_weather\",\"args\":{\"location\":\"Boston, MA\"}}", texts.get(1));
        assertTrue(texts.get(2).contains("\"conditions\":\"sleet\""), texts.get(2));
        String text = allText(call);
        assertTrue(text.contains("Get the current weather in a given location"), text);
        assertTrue(text.contains("googleSearch"), text);
        assertTrue(text.contains("allowedFunctionNames"), text);
        assertFalse(text.contains("opaqueSignature"), "a thought signature is no prompt text");
    }

    @Test
    void mediaPartsAreCountedNotReadAsText() throws IOException {
        LlmCall call = read(GENERATE, """
                {"contents":[{"role":"user","parts":[
                  {"inlineData":{"mimeType":"image/png","data":"%s"}},
                  {"fileData":{"mimeType":"application/pdf","fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc123"}},
                  {"file_data":{"mime_type":"video/mp4","file_uri":"gs://bucket/clip.mp4"},"videoMetadata":{"startOffset":"10s"}},
                  {"text":"Compare these."}]},
                  {"role":"user","parts":[{"functionResponse":{"name":"render","response":{"ok":true},
                     "parts":[{"inlineData":{"mimeType":"image/png","data":"%s"}}]}}]}]}""".formatted(BASE64, BASE64));

        assertEquals(4, call.prompt().images());
        String text = allText(call);
        assertFalse(text.contains("iVBORw0KGgo"), text);
        assertFalse(text.contains("files/abc123"), text);
        assertFalse(text.contains("gs://"), text);
        assertTrue(call.prompt().texts().contains("Compare these."));
        assertTrue(text.contains("\"name\":\"render\""), text);
    }

    @Test
    void otherPartsHaveTheirTextRead() throws IOException {
        LlmCall call = read(GENERATE, """
                {"contents":[{"role":"model","parts":[
                  {"text":"I thought about it.","thought":true},
                  {"executableCode":{"language":"PYTHON","code":"print(sum(range(10)))"}},
                  {"codeExecutionResult":{"outcome":"OUTCOME_OK","output":"45"}}]}]}""");
        assertTrue(call.prompt().texts().contains("I thought about it."));
        assertTrue(call.prompt().texts().contains("print(sum(range(10)))"));
        assertTrue(call.prompt().texts().contains("45"));
    }

    @Test
    void lenientShapesAreRead() throws IOException {
        // one Content instead of a list, a bare string system instruction
        LlmCall call = read(GENERATE, """
                {"contents":{"parts":{"text":"Hello"}},"systemInstruction":"Be kind."}""");
        assertEquals(List.of("Hello", "Be kind."), call.prompt().texts());
        assertEquals(2, call.prompt().messages());
        LlmCall empty = read(GENERATE, "{}");
        assertEquals(List.of(), empty.prompt().texts());
        assertEquals(0, empty.prompt().messages());
    }

    @Test
    void embedContentBillsInputOnly() throws IOException {
        GeminiEndpoint endpoint = GeminiEndpoint.of("POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent");
        LlmCall call = read(endpoint, """
                {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"What is the meaning of life?"}]},
                 "taskType":"RETRIEVAL_DOCUMENT","title":"Life","outputDimensionality":768}""");
        assertEquals("embedContent", call.endpoint());
        assertEquals("gemini-embedding-001", call.model());
        assertEquals(List.of("What is the meaning of life?", "Life"), call.prompt().texts());
        assertFalse(call.producesOutput());
        assertFalse(call.stream());
        assertEquals(0, call.maxOutputTokens());
        assertEquals(1, call.choices());
        assertEquals(0, call.prompt().messages());
    }

    @Test
    void batchEmbedContentsReadsEveryRequest() throws IOException {
        GeminiEndpoint endpoint = GeminiEndpoint.of("POST", "https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents");
        LlmCall call = read(endpoint, """
                {"requests":[
                   {"model":"models/text-embedding-004","content":{"parts":[{"text":"What is the meaning of life?"}]}},
                   {"model":"models/text-embedding-004","content":{"parts":[{"text":"How much wood?"},{"text":"A woodchuck."}]}},
                   {"model":"models/text-embedding-004","content":{"parts":[{"inline_data":{"mime_type":"image/png","data":"%s"}}]}}]}"""
                .formatted(BASE64));
        assertEquals(List.of("What is the meaning of life?", "How much wood?", "A woodchuck."), call.prompt().texts());
        assertEquals(1, call.prompt().images());
        assertEquals("batchEmbedContents", call.endpoint());
        assertFalse(call.producesOutput());
    }

    @Test
    void aBodyThatIsNoJsonObjectIsRefused() {
        assertThrows(IOException.class, () -> read(GENERATE, "[1,2]"));
        assertThrows(IOException.class, () -> read(GENERATE, ""));
        assertThrows(IOException.class, () -> read(GENERATE, "{\"contents\":"));
        assertThrows(IOException.class, () -> read(GENERATE, "\"text\""));
    }

    // ---- keys ----

    @Test
    void theKeyOfTheHeaderIsFingerprinted() {
        String fingerprint = GeminiProtocol.keyFingerprint(BASE + ":generateContent", headers(Map.of("x-goog-api-key", API_KEY)));
        assertEquals(KeyFingerprint.of(API_KEY), fingerprint);
        assertFalse(fingerprint.contains(API_KEY));
        assertFalse(fingerprint.contains("AIza"));
        // a case-sensitive header lookup is asked in the canonical spelling too
        assertEquals(fingerprint, GeminiProtocol.keyFingerprint(BASE, headers(Map.of("X-Goog-Api-Key", API_KEY))));
    }

    @Test
    void theKeyOfTheQueryIsFingerprinted() {
        String fingerprint = GeminiProtocol.keyFingerprint(BASE + ":streamGenerateContent?alt=sse&key=" + API_KEY, headers(Map.of()));
        assertEquals(KeyFingerprint.of(API_KEY), fingerprint);
        assertFalse(fingerprint.contains(API_KEY));
        assertEquals(fingerprint, GeminiProtocol.keyFingerprint(BASE + ":generateContent?key=" + API_KEY, null));
        assertEquals(fingerprint, GeminiProtocol.keyFingerprint(BASE + ":generateContent?key=" + API_KEY + "#frag", null));
        assertEquals(KeyFingerprint.of("AIza/with+plus="),
                GeminiProtocol.keyFingerprint(BASE + ":generateContent?key=AIza%2Fwith%2Bplus%3D", null));
    }

    @Test
    void theHeaderWinsOverTheQuery() {
        String other = "AIzaSyOtherKeyOtherKeyOtherKeyOther1234";
        assertEquals(KeyFingerprint.of(API_KEY),
                GeminiProtocol.keyFingerprint(BASE + ":generateContent?key=" + other, headers(Map.of("x-goog-api-key", API_KEY))));
        assertEquals(KeyFingerprint.of(other), GeminiProtocol.keyFingerprint(BASE + ":generateContent?key=" + other,
                headers(Map.of("x-goog-api-key", " "))));
    }

    @Test
    void aVertexBearerTokenIsFingerprinted() {
        String token = "ya29.a0AfB_byC1234567890abcdefghijklmnop";
        String fingerprint = GeminiProtocol.keyFingerprint(
                "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-flash:generateContent",
                headers(Map.of("Authorization", "Bearer " + token)));
        assertEquals(KeyFingerprint.of(token), fingerprint);
        assertFalse(fingerprint.contains(token));
        assertEquals(KeyFingerprint.of(API_KEY), GeminiProtocol.keyFingerprint(BASE + "?key=" + API_KEY,
                headers(Map.of("authorization", "Bearer " + token))), "an API key names the project billed");
    }

    @Test
    void noCredentialIsNoFingerprint() {
        assertNull(GeminiProtocol.keyFingerprint(BASE + ":generateContent", headers(Map.of())));
        assertNull(GeminiProtocol.keyFingerprint(BASE + ":generateContent?key=", headers(Map.of())));
        assertNull(GeminiProtocol.keyFingerprint(BASE + ":generateContent?alt=sse", null));
        assertNull(GeminiProtocol.keyFingerprint(null, null));
        assertNull(GeminiProtocol.keyFingerprint(BASE, headers(Map.of("authorization", "Bearer"))));
    }

    // ---- usage ----

    @Test
    void readsUsageOfAResponse() throws IOException {
        assertEquals(GeminiWireSamples.RESPONSE_USAGE, GeminiProtocol.usageIn(json(GeminiWireSamples.RESPONSE)));
        assertEquals(new Usage(8, 0, 0, 12, 0), GeminiProtocol.usageIn(json("""
                {"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":12,"totalTokenCount":20}}""")));
    }

    @Test
    void toolUsePromptTokensAreInput() throws IOException {
        assertEquals(new Usage(1508, 0, 0, 45, 20), GeminiProtocol.usageIn(json("""
                {"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":25,"toolUsePromptTokenCount":1500,
                 "thoughtsTokenCount":20,"totalTokenCount":1553}}""")));
    }

    @Test
    void noUsageIsNull() throws IOException {
        assertNull(GeminiProtocol.usageIn(null));
        assertNull(GeminiProtocol.usageIn(json("{\"candidates\":[]}")));
        assertNull(GeminiProtocol.usageIn(json("{\"usageMetadata\":null}")));
        assertNull(GeminiProtocol.usageIn(json("{\"usageMetadata\":{}}")), "a report of nothing would make the call free");
        assertNull(GeminiProtocol.usageIn(json("{\"usageMetadata\":{\"totalTokenCount\":5}}")));
        assertNull(GeminiProtocol.usageIn(json("""
                {"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}""")));
        assertNull(GeminiProtocol.usageIn(json("{\"embedding\":{\"values\":[0.1,0.2]}}")));
    }

    @Test
    void aBlockedPromptReportsItsInput() throws IOException {
        assertEquals(new Usage(7, 0, 0, 0, 0), GeminiProtocol.usageIn(json("""
                {"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}""")));
    }

    // ---- readers ----

    @Test
    void aPlainResponseIsReadWhateverItsSplit() throws IOException {
        LlmCall call = read(GENERATE, "{\"contents\":[]}");
        assertEquals(GeminiWireSamples.RESPONSE_USAGE, readWhole(GeminiProtocol.usageReader(call, GENERATE), GeminiWireSamples.RESPONSE));
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(GeminiWireSamples.RESPONSE_USAGE,
                    readInRandomPieces(GeminiProtocol.usageReader(call, GENERATE), GeminiWireSamples.RESPONSE, seed));
        }
    }

    @Test
    void aPlainResponseWithoutUsageIsChargedItsReservation() throws IOException {
        LlmCall call = read(GENERATE, "{\"contents\":[]}");
        UsageReader reader = GeminiProtocol.usageReader(call, GENERATE);
        String noUsage = GeminiWireSamples.RESPONSE.substring(0, GeminiWireSamples.RESPONSE.indexOf(",\n  \"usageMetadata\"")) + "}";
        assertNull(readWhole(reader, noUsage));
        assertNull(reader.outputSoFar(), "a plain response's text is not counted");

        UsageReader cut = GeminiProtocol.usageReader(call, GENERATE);
        assertNull(readWhole(cut, GeminiWireSamples.RESPONSE.substring(0, GeminiWireSamples.RESPONSE.length() - 60)));
    }

    @Test
    void anEmbeddingResponseHasNoUsage() throws IOException {
        GeminiEndpoint endpoint = GeminiEndpoint.of("POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent");
        LlmCall call = read(endpoint, "{\"content\":{\"parts\":[{\"text\":\"x\"}]}}");
        assertNull(readWhole(GeminiProtocol.usageReader(call, endpoint), "{\"embedding\":{\"values\":[0.013168523,-0.008711934]}}"));
    }

    @Test
    void anSseStreamIsReadThroughTheSseReader() throws IOException {
        LlmCall call = read(STREAM_SSE, "{\"contents\":[]}");
        UsageReader reader = GeminiProtocol.usageReader(call, STREAM_SSE);
        assertInstanceOf(SseUsageReader.class, reader);
        assertEquals(GeminiWireSamples.STREAM_USAGE, readWhole(reader, GeminiWireSamples.SSE_STREAM));
        assertEquals(GeminiWireSamples.STREAM_TEXT, reader.outputSoFar());
    }

    @Test
    void anSseStreamFedInRandomPiecesGivesTheSameUsageAndText() throws IOException {
        LlmCall call = read(STREAM_SSE, "{\"contents\":[]}");
        for (long seed = 0; seed < 50; seed++) {
            UsageReader reader = GeminiProtocol.usageReader(call, STREAM_SSE);
            assertEquals(GeminiWireSamples.STREAM_USAGE, readInRandomPieces(reader, GeminiWireSamples.SSE_STREAM, seed), "seed " + seed);
            assertEquals(GeminiWireSamples.STREAM_TEXT, reader.outputSoFar(), "seed " + seed);
        }
        UsageReader reader = GeminiProtocol.usageReader(call, STREAM_SSE);
        assertEquals(GeminiWireSamples.STREAM_USAGE, GeminiWireSamples.readByteByByte(reader, GeminiWireSamples.SSE_STREAM));
        assertEquals(GeminiWireSamples.STREAM_TEXT, reader.outputSoFar());
    }

    @Test
    void anSseStreamCutEarlyHasTheCumulativeUsageOfItsLastChunk() throws IOException {
        LlmCall call = read(STREAM_SSE, "{\"contents\":[]}");
        String sse = GeminiWireSamples.SSE_STREAM;
        int third = sse.indexOf("data:", sse.indexOf("data:", sse.indexOf("data:") + 1) + 1);
        UsageReader reader = GeminiProtocol.usageReader(call, STREAM_SSE);
        assertEquals(GeminiWireSamples.USAGE_AFTER_CHUNK_2, readWhole(reader, sse.substring(0, third + 40)));
        assertEquals(GeminiWireSamples.STREAM_TEXT_1 + GeminiWireSamples.STREAM_TEXT_2, reader.outputSoFar());
    }

    @Test
    void aJsonArrayStreamIsReadThroughTheArrayReader() throws IOException {
        LlmCall call = read(STREAM_ARRAY, "{\"contents\":[]}");
        UsageReader reader = GeminiProtocol.usageReader(call, STREAM_ARRAY);
        assertInstanceOf(GeminiJsonStreamReader.class, reader);
        assertEquals(GeminiWireSamples.STREAM_USAGE, readWhole(reader, GeminiWireSamples.ARRAY_STREAM));
        assertEquals(GeminiWireSamples.STREAM_TEXT, reader.outputSoFar());
    }

    @Test
    void eachStreamGetsItsOwnExtractorState() throws IOException {
        LlmCall call = read(STREAM_SSE, "{\"contents\":[]}");
        assertEquals(GeminiWireSamples.STREAM_USAGE, readWhole(GeminiProtocol.usageReader(call, STREAM_SSE), GeminiWireSamples.SSE_STREAM));
        String small = GeminiWireSamples.sse("""
                {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4}}""");
        assertEquals(new Usage(3, 0, 0, 1, 0), readWhole(GeminiProtocol.usageReader(call, STREAM_SSE), small));
    }

    // ---- stream chunks ----

    @Test
    void aStreamChunkCountingOnlyThePromptIsNoReportUntilTheLast() throws IOException {
        GeminiStreamUsage extractor = new GeminiStreamUsage();
        assertNull(extractor.usageIn(json("""
                {"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"}}],
                 "usageMetadata":{"promptTokenCount":11,"totalTokenCount":11}}""")),
                "settling a stream cut here on this would charge no output for the text it carried");
        assertEquals(new Usage(11, 0, 0, 2, 0), extractor.usageIn(json("""
                {"candidates":[{"content":{"parts":[{"text":"lo"}],"role":"model"},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":11,"candidatesTokenCount":2,"totalTokenCount":13}}""")));
    }

    @Test
    void aStreamChunkMissingACountDoesNotEraseIt() throws IOException {
        GeminiStreamUsage extractor = new GeminiStreamUsage();
        assertEquals(new Usage(1200, 1000, 0, 4, 0), extractor.usageIn(json("""
                {"usageMetadata":{"promptTokenCount":1200,"cachedContentTokenCount":1000,"candidatesTokenCount":4}}""")));
        assertEquals(new Usage(1200, 1000, 0, 9, 0), extractor.usageIn(json("""
                {"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"candidatesTokenCount":9}}""")));
        assertNull(extractor.usageIn(json("{\"candidates\":[]}")));
    }

    @Test
    void aBlockedStreamReportsItsPrompt() throws IOException {
        assertEquals(new Usage(7, 0, 0, 0, 0), new GeminiStreamUsage().usageIn(json("""
                {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}""")));
    }

    @Test
    void theOutputTextOfAChunkIsEveryCandidatesParts() throws IOException {
        GeminiStreamUsage extractor = new GeminiStreamUsage();
        assertEquals("Hello{\"name\":\"f\",\"args\":{\"a\":1}}print(1)World", extractor.outputTextIn(json("""
                {"candidates":[
                  {"content":{"parts":[{"text":"Hello"},{"functionCall":{"name":"f","args":{"a":1}}},
                                       {"executableCode":{"language":"PYTHON","code":"print(1)"}},
                                       {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo"}}],"role":"model"},"index":0},
                  {"content":{"parts":[{"text":"World"}],"role":"model"},"index":1}]}""")));
        assertNull(extractor.outputTextIn(json("{\"usageMetadata\":{\"promptTokenCount\":1}}")));
        assertNull(extractor.outputTextIn(json("{\"candidates\":[{\"content\":{\"parts\":[]}}]}")));
        assertNull(extractor.outputTextIn(json("{\"candidates\":[{\"finishReason\":\"SAFETY\"}]}")));
        assertNull(extractor.outputTextIn(null));
    }

    // ---- rewriting ----

    @Test
    void theOutputCeilingIsSetKeepingEveryOtherField() throws IOException {
        byte[] body = """
                {"contents":[{"role":"user","parts":[{"text":"Hi"}]}],
                 "generationConfig":{"temperature":0.5,"maxOutputTokens":8192,"thinkingConfig":{"thinkingBudget":1024}},
                 "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}]}"""
                .getBytes(StandardCharsets.UTF_8);
        JsonNode rewritten = json(GeminiProtocol.withMaxOutputTokens(body, 1000));
        JsonNode original = json(body);
        assertEquals(1000, rewritten.path("generationConfig").path("maxOutputTokens").asLong());
        ((com.fasterxml.jackson.databind.node.ObjectNode) original.get("generationConfig")).put("maxOutputTokens", 1000);
        assertEquals(original, rewritten);
        assertEquals(1000, GeminiProtocol.readRequest(GENERATE, GeminiProtocol.withMaxOutputTokens(body, 1000), null).maxOutputTokens());
    }

    @Test
    void theOutputCeilingCreatesTheGenerationConfig() throws IOException {
        byte[] body = "{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}".getBytes(StandardCharsets.UTF_8);
        JsonNode rewritten = json(GeminiProtocol.withMaxOutputTokens(body, 64));
        assertEquals(json("{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}],\"generationConfig\":{\"maxOutputTokens\":64}}"), rewritten);
        JsonNode fromNull = json(GeminiProtocol.withMaxOutputTokens(
                "{\"generationConfig\":null}".getBytes(StandardCharsets.UTF_8), 64));
        assertEquals(json("{\"generationConfig\":{\"maxOutputTokens\":64}}"), fromNull);
    }

    @Test
    void theOutputCeilingKeepsTheRequestsSpelling() throws IOException {
        byte[] body = """
                {"generation_config":{"max_output_tokens":4096,"temperature":1},"contents":[]}"""
                .getBytes(StandardCharsets.UTF_8);
        JsonNode rewritten = json(GeminiProtocol.withMaxOutputTokens(body, 100));
        assertEquals(json("{\"generation_config\":{\"max_output_tokens\":100,\"temperature\":1},\"contents\":[]}"), rewritten);
        assertFalse(rewritten.has("generationConfig"), "a second spelling of the field would be a duplicate");

        JsonNode snakeConfigCamelField = json(GeminiProtocol.withMaxOutputTokens(
                "{\"generation_config\":{\"temperature\":1}}".getBytes(StandardCharsets.UTF_8), 100));
        assertEquals(json("{\"generation_config\":{\"temperature\":1,\"maxOutputTokens\":100}}"), snakeConfigCamelField);
        assertEquals(100, GeminiProtocol.readRequest(GENERATE, GeminiProtocol.withMaxOutputTokens(body, 100), null).maxOutputTokens());
    }

    @Test
    void aBodyThatIsNoJsonObjectCannotBeRewritten() {
        assertThrows(IOException.class, () -> GeminiProtocol.withMaxOutputTokens("[]".getBytes(StandardCharsets.UTF_8), 5));
        assertThrows(IOException.class, () -> GeminiProtocol.withMaxOutputTokens("{".getBytes(StandardCharsets.UTF_8), 5));
    }

    @Test
    void theRewrittenBodyDiffersOnlyInTheCeiling() throws IOException {
        byte[] body = "{\"contents\":[],\"generationConfig\":{\"maxOutputTokens\":5}}".getBytes(StandardCharsets.UTF_8);
        assertNotEquals(json(body), json(GeminiProtocol.withMaxOutputTokens(body, 6)));
        assertEquals(json(body), json(GeminiProtocol.withMaxOutputTokens(body, 5)));
    }
}
