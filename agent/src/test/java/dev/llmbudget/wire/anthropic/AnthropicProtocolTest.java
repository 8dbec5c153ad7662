package dev.llmbudget.wire.anthropic;

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
import dev.llmbudget.wire.UsageReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnthropicProtocolTest {
    private static final String FINGERPRINT = "sk-…WxYz#1a2b";
    /** base64 that must never be counted as text. */
    private static final String BASE64 = "iVBORw0KGgoAAAANSUhEUgAA".repeat(90);

    private static final String RESPONSE = """
            {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",\
            "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,\
            "usage":{"input_tokens":25,"cache_creation_input_tokens":10,"cache_read_input_tokens":100,"output_tokens":12}}""";

    private static final String STREAM_START = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-20250514","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":10,"cache_read_input_tokens":100,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"! Your \\"usage\\": {\\"output_tokens\\": 99999} is fine."}}

            """;

    private static final String STREAM_END = """
            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private static final String STREAM = STREAM_START + STREAM_END;

    /** Newer API versions repeat the input counts in message_delta. */
    private static final String STREAM_WITH_DELTA_INPUT = STREAM_START + """
            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":25,"cache_creation_input_tokens":10,"cache_read_input_tokens":100,"output_tokens":15,"server_tool_use":{"web_search_requests":0}}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private static final Usage STREAM_USAGE = new Usage(135, 100, 10, 15, 0);

    private static LlmCall read(String body) throws IOException {
        return AnthropicProtocol.readRequest(AnthropicEndpoint.MESSAGES, body.getBytes(StandardCharsets.UTF_8), FINGERPRINT);
    }

    private static JsonNode json(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Json.parse(bytes, 0, bytes.length);
    }

    private static String allText(Prompt prompt) {
        return String.join("\n", prompt.texts());
    }

    private static LlmCall streamCall() throws IOException {
        return read("""
                {"max_tokens":1024,"messages":[{"content":"Hello","role":"user"}],"model":"claude-sonnet-4-20250514","stream":true}""");
    }

    private static Usage readWhole(UsageReader reader, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        reader.accept(bytes, 0, bytes.length);
        return reader.finish();
    }

    /** Feeds the body at an offset inside a scratch buffer, in random small pieces. */
    private static Usage readInRandomPieces(UsageReader reader, String body, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] scratch = new byte[bytes.length + 32];
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(1 + random.nextInt(40), bytes.length - at);
            Arrays.fill(scratch, (byte) '\n'); // bytes outside the given range must never be read
            System.arraycopy(bytes, at, scratch, 7, n);
            reader.accept(scratch, 7, n);
            at += n;
        }
        return reader.finish();
    }

    // ---- requests ----

    @Test
    void readsARequestAsTheSdkSendsIt() throws IOException {
        LlmCall call = read("""
                {"max_tokens":1024,"messages":[{"content":"Hello","role":"user"}],"model":"claude-sonnet-4-20250514","system":"Be brief."}""");

        assertEquals("anthropic", call.provider());
        assertEquals(AnthropicProtocol.PROVIDER, call.provider());
        assertEquals("messages", call.endpoint());
        assertEquals("claude-sonnet-4-20250514", call.model());
        assertEquals(1024, call.maxOutputTokens());
        assertEquals(1, call.choices());
        assertTrue(call.producesOutput());
        assertFalse(call.stream());
        assertEquals(FINGERPRINT, call.keyFingerprint());
        assertEquals(0, call.prompt().images());
        assertEquals(0, call.prompt().preTokenized());
        assertTrue(call.prompt().texts().contains("Hello"), call.prompt().texts().toString());
        assertTrue(call.prompt().texts().contains("Be brief."));
        // the message, and the system prompt like OpenAI's system message
        assertEquals(2, call.prompt().messages());
    }

    @Test
    void readsStreamAndAMissingMaxTokensAsZero() throws IOException {
        assertTrue(streamCall().stream());
        LlmCall noMax = read("""
                {"messages":[{"content":"Hello","role":"user"}],"model":"claude-3-5-haiku-latest"}""");
        assertEquals(0, noMax.maxOutputTokens());
        assertFalse(noMax.stream());
        assertEquals(1, noMax.prompt().messages());
        assertNull(read("{\"max_tokens\":5,\"messages\":[]}").model());
    }

    @Test
    void readsSystemBlocksAndTextBlocksWithoutTheirMarkup() throws IOException {
        LlmCall call = read("""
                {"max_tokens":2048,"model":"claude-opus-4-1-20250805",
                 "system":[{"type":"text","text":"You are a contracts lawyer."},
                           {"type":"text","text":"<the whole contract>","cache_control":{"type":"ephemeral"}}],
                 "messages":[
                   {"role":"user","content":[{"type":"text","text":"Is clause 4 enforceable?"}]},
                   {"role":"assistant","content":[{"type":"thinking","thinking":"Clause 4 limits liability...","signature":"EqQBCgIYAhIM"},
                                                  {"type":"text","text":"Probably not."}]},
                   {"role":"user","content":"Why?"}]}""");

        assertEquals(java.util.List.of("You are a contracts lawyer.", "<the whole contract>", "Is clause 4 enforceable?",
                "Clause 4 limits liability...", "Probably not.", "Why?"), call.prompt().texts());
        assertEquals(4, call.prompt().messages());
    }

    @Test
    void imagesAndDocumentsAreCountedNotReadAsText() throws IOException {
        LlmCall call = read("""
                {"max_tokens":512,"model":"claude-sonnet-4-20250514","messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}},
                  {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
                  {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"%s"},"title":"Q3 report"},
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"The grass is green."}},
                  {"type":"text","text":"Compare these."}]}]}""".formatted(BASE64, BASE64));

        assertEquals(3, call.prompt().images());
        String text = allText(call.prompt());
        assertFalse(text.contains("iVBORw0KGgo"), text);
        assertFalse(text.contains("example.com"), text);
        assertTrue(call.prompt().texts().contains("The grass is green."));
        assertTrue(call.prompt().texts().contains("Q3 report"));
        assertTrue(call.prompt().texts().contains("Compare these."));
    }

    @Test
    void readsToolsToolUseAndToolResults() throws IOException {
        LlmCall call = read("""
                {"max_tokens":1024,"model":"claude-sonnet-4-20250514",
                 "tools":[{"name":"get_weather","description":"Get the current weather in a given location",
                           "input_schema":{"type":"object","properties":{"location":{"type":"string","description":"The city and state"}},"required":["location"]}}],
                 "tool_choice":{"type":"auto"},
                 "messages":[
                   {"role":"user","content":"What is the weather in San Francisco?"},
                   {"role":"assistant","content":[{"type":"text","text":"Let me check."},
                     {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"San Francisco, CA"}}]},
                   {"role":"user","content":[
                     {"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":"15 degrees"},
                     {"type":"tool_result","tool_use_id":"toolu_02","is_error":false,"content":[
                        {"type":"text","text":"Fog until noon"},
                        {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"%s"}}]}]}]}""".formatted(BASE64));

        String text = allText(call.prompt());
        assertTrue(text.contains("get_weather"), text);
        assertTrue(text.contains("Get the current weather in a given location"), text);
        assertTrue(text.contains("\"The city and state\""), text);
        assertTrue(text.contains("\"required\":[\"location\"]"), text);
        assertTrue(call.prompt().texts().contains("{\"location\":\"San Francisco, CA\"}"), text);
        assertTrue(call.prompt().texts().contains("15 degrees"), text);
        assertTrue(call.prompt().texts().contains("Fog until noon"), text);
        assertFalse(text.contains("iVBORw0KGgo"), text);
        assertFalse(text.contains("toolu_"), text);
        assertEquals(1, call.prompt().images());
        assertEquals(3, call.prompt().messages());
    }

    @Test
    void unicodeTextIsKeptForByteCounting() throws IOException {
        LlmCall call = read("""
                {"max_tokens":10,"model":"claude-sonnet-4-20250514","messages":[{"role":"user","content":"Grüße 👋"}]}""");
        assertEquals(java.util.List.of("Grüße 👋"), call.prompt().texts());
        assertEquals(12, call.prompt().utf8Bytes());
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsRejected() {
        assertThrows(IOException.class, () -> read("[1,2]"));
        assertThrows(IOException.class, () -> read("{\"model\":"));
    }

    // ---- usage ----

    @Test
    void normalisesResponseUsageSoInputIncludesTheCache() throws IOException {
        assertEquals(new Usage(135, 100, 10, 12, 0), AnthropicProtocol.usageIn(json(RESPONSE)));
    }

    @Test
    void missingUsageFieldsCountZeroAndNoUsageIsNull() throws IOException {
        assertEquals(new Usage(25, 0, 0, 12, 0), AnthropicProtocol.usageIn(json("""
                {"usage":{"input_tokens":25,"output_tokens":12}}""")));
        assertEquals(new Usage(0, 0, 0, 0, 0), AnthropicProtocol.usageIn(json("{\"usage\":{}}")));
        assertNull(AnthropicProtocol.usageIn(json("{\"type\":\"message\"}")));
        assertNull(AnthropicProtocol.usageIn(json("{\"usage\":null}")));
        assertNull(AnthropicProtocol.usageIn(json("""
                {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""")));
    }

    @Test
    void aPlainResponseIsReadThroughTheJsonBodyReader() {
        LlmCall call = new LlmCall("anthropic", "messages", "claude-sonnet-4-20250514", Prompt.ofText("Hello"),
                1024, 1, true, false, null);
        UsageReader reader = AnthropicProtocol.usageReader(call);
        assertInstanceOf(JsonBodyUsageReader.class, reader);
        assertEquals(new Usage(135, 100, 10, 12, 0), readWhole(reader, RESPONSE));
        assertEquals(new Usage(135, 100, 10, 12, 0),
                readInRandomPieces(AnthropicProtocol.usageReader(call), RESPONSE, 3));
    }

    @Test
    void aStreamMergesMessageStartAndMessageDelta() throws IOException {
        UsageReader reader = AnthropicProtocol.usageReader(streamCall());
        assertInstanceOf(SseUsageReader.class, reader);
        assertEquals(STREAM_USAGE, readWhole(reader, STREAM));
        assertEquals(STREAM_USAGE, readWhole(AnthropicProtocol.usageReader(streamCall()), STREAM_WITH_DELTA_INPUT));
    }

    @Test
    void aStreamFedInRandomSmallPiecesGivesTheSameUsage() throws IOException {
        for (long seed = 0; seed < 50; seed++) {
            assertEquals(STREAM_USAGE, readInRandomPieces(AnthropicProtocol.usageReader(streamCall()), STREAM, seed),
                    "seed " + seed);
            assertEquals(STREAM_USAGE,
                    readInRandomPieces(AnthropicProtocol.usageReader(streamCall()), STREAM_WITH_DELTA_INPUT, seed),
                    "seed " + seed);
        }
    }

    @Test
    void aStreamWithCrLfLineEndsIsRead() throws IOException {
        assertEquals(STREAM_USAGE, readWhole(AnthropicProtocol.usageReader(streamCall()), STREAM.replace("\n", "\r\n")));
    }

    @Test
    void aStreamCutBeforeMessageDeltaHasNoUsageSoItIsChargedItsReservation() throws IOException {
        // message_start's output_tokens is the first token only: settling on it would charge a cut
        // stream as if it had produced one token, whatever it streamed before the cut
        assertNull(readWhole(AnthropicProtocol.usageReader(streamCall()), STREAM_START));
        // cut in the middle of the message_delta line: the partial line is not readable
        String cut = STREAM.substring(0, STREAM.indexOf("\"output_tokens\":15"));
        assertNull(readWhole(AnthropicProtocol.usageReader(streamCall()), cut));
    }

    @Test
    void aStreamCutBeforeMessageDeltaKeepsTheTextItCarriedForTheCharge() throws IOException {
        UsageReader reader = AnthropicProtocol.usageReader(streamCall());
        assertNull(readWhole(reader, STREAM_START));
        assertEquals("Hello! Your \"usage\": {\"output_tokens\": 99999} is fine.", reader.outputSoFar());
    }

    @Test
    void zeroInputCountsInMessageDeltaDoNotEraseMessageStarts() throws IOException {
        String stream = STREAM_START + """
                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":40}}

                """;
        assertEquals(new Usage(135, 100, 10, 40, 0), readWhole(AnthropicProtocol.usageReader(streamCall()), stream));
    }

    @Test
    void eachStreamGetsItsOwnExtractorState() throws IOException {
        LlmCall call = streamCall();
        assertEquals(STREAM_USAGE, readWhole(AnthropicProtocol.usageReader(call), STREAM));
        // a second stream of the same call with less usage is not contaminated by the first
        String small = STREAM.replace("\"input_tokens\":25,\"cache_creation_input_tokens\":10,\"cache_read_input_tokens\":100",
                "\"input_tokens\":7").replace("\"output_tokens\":15", "\"output_tokens\":3");
        assertEquals(new Usage(7, 0, 0, 3, 0), readWhole(AnthropicProtocol.usageReader(call), small));
    }

    @Test
    void theStreamExtractorIgnoresEventsWithoutUsage() throws IOException {
        var extractor = AnthropicProtocol.streamUsageExtractor();
        assertNull(extractor.usageIn(json("{\"type\":\"ping\"}")));
        assertNull(extractor.usageIn(json("{\"type\":\"message_stop\"}")));
        assertNull(extractor.usageIn(json("""
                {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""")));
        assertEquals(new Usage(0, 0, 0, 15, 0), extractor.usageIn(json("""
                {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}""")));
    }

    @Test
    void anErrorEventMidStreamLeavesTheUsageUnknown() throws IOException {
        String stream = STREAM_START + """
                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                """;
        assertNull(readWhole(AnthropicProtocol.usageReader(streamCall()), stream));
    }
}
