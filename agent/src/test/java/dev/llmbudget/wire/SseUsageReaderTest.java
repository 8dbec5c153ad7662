package dev.llmbudget.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmbudget.core.Usage;
import dev.llmbudget.wire.openai.OpenAiProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SseUsageReaderTest {
    private static final Usage CHAT_STREAM_USAGE = new Usage(2006, 1920, 0, 300, 0);
    private static final Usage RESPONSES_STREAM_USAGE = new Usage(37, 5, 0, 11, 3);

    private static SseUsageReader reader() {
        return new SseUsageReader(OpenAiProtocol::usageIn);
    }

    private static Usage readWhole(String stream) {
        SseUsageReader reader = reader();
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        reader.accept(bytes, 0, bytes.length);
        return reader.finish();
    }

    /** Feeds the stream at an offset inside a scratch buffer, in pieces of the given sizes (cycled). */
    private static Usage readInPieces(String stream, int... sizes) {
        SseUsageReader reader = reader();
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        byte[] scratch = new byte[bytes.length + 32];
        int at = 0;
        for (int i = 0; at < bytes.length; i++) {
            int n = Math.min(sizes[i % sizes.length], bytes.length - at);
            Arrays.fill(scratch, (byte) '\n'); // bytes outside the given range must never be read
            System.arraycopy(bytes, at, scratch, 5, n);
            reader.accept(scratch, 5, n);
            at += n;
        }
        return reader.finish();
    }

    private static UsageReader streamReader() throws java.io.IOException {
        byte[] request = "{\"model\":\"gpt-4o-mini\",\"messages\":[],\"stream\":true}".getBytes(StandardCharsets.UTF_8);
        return OpenAiProtocol.usageReader(OpenAiProtocol.readRequest(
                dev.llmbudget.wire.openai.OpenAiEndpoint.of("POST", "https://api.openai.com/v1/chat/completions"), request, null, null));
    }

    @Test
    void aChatStreamCutBeforeItsUsageKeepsTheOutputItCarried() throws Exception {
        String stream = OpenAiWireSamples.CHAT_STREAM;
        String cut = stream.substring(0, stream.indexOf("\"finish_reason\":\"stop\""));
        UsageReader reader = streamReader();
        byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            reader.accept(new byte[] {b}, 0, 1);
        }
        assertNull(reader.finish());
        assertEquals("Hello! Token usage 日本語 😀", reader.outputSoFar());
    }

    @Test
    void aResponsesStreamKeepsItsTextDeltas() throws Exception {
        UsageReader reader = streamReader();
        byte[] bytes = OpenAiWireSamples.RESPONSES_STREAM.getBytes(StandardCharsets.UTF_8);
        reader.accept(bytes, 0, bytes.length);
        assertEquals(RESPONSES_STREAM_USAGE, reader.finish());
        org.junit.jupiter.api.Assertions.assertTrue(reader.outputSoFar().startsWith("Your usage is fine"), reader.outputSoFar());
    }

    @Test
    void toolCallArgumentsCountAsOutput() throws Exception {
        UsageReader reader = streamReader();
        byte[] bytes = ("data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                + "{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                + "{\"arguments\":\"1}\"}}]}}]}\n\n").getBytes(StandardCharsets.UTF_8);
        reader.accept(bytes, 0, bytes.length);
        assertNull(reader.finish());
        assertEquals("lookup{\"q\":1}", reader.outputSoFar());
    }

    @Test
    void readsTheFinalUsageChunkOfAChatStream() {
        assertEquals(CHAT_STREAM_USAGE, readWhole(OpenAiWireSamples.CHAT_STREAM));
    }

    @Test
    void readsUsageFromResponseCompletedOfAResponsesStream() {
        assertEquals(RESPONSES_STREAM_USAGE, readWhole(OpenAiWireSamples.RESPONSES_STREAM));
    }

    @Test
    void linesSplitAcrossBufferBoundariesAreReassembled() {
        for (int size : new int[] {1, 2, 3, 5, 13, 64, 100, 4096}) {
            assertEquals(CHAT_STREAM_USAGE, readInPieces(OpenAiWireSamples.CHAT_STREAM, size), "pieces of " + size);
            assertEquals(RESPONSES_STREAM_USAGE, readInPieces(OpenAiWireSamples.RESPONSES_STREAM, size), "pieces of " + size);
        }
    }

    @Test
    void randomSplitsGiveTheSameUsage() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int round = 0; round < 200; round++) {
            int[] sizes = new int[1 + random.nextInt(20)];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = 1 + random.nextInt(300);
            }
            assertEquals(CHAT_STREAM_USAGE, readInPieces(OpenAiWireSamples.CHAT_STREAM, sizes), Arrays.toString(sizes));
        }
    }

    @Test
    void crlfLineEndingsWork() {
        String crlf = OpenAiWireSamples.CHAT_STREAM.replace("\n", "\r\n");
        assertEquals(CHAT_STREAM_USAGE, readWhole(crlf));
        assertEquals(CHAT_STREAM_USAGE, readInPieces(crlf, 1));
    }

    @Test
    void aStreamWithoutAFinalNewlineIsReadAtFinish() {
        String stream = OpenAiWireSamples.CHAT_STREAM;
        String withoutDone = stream.substring(0, stream.indexOf("data: [DONE]")).stripTrailing();
        assertEquals(CHAT_STREAM_USAGE, readWhole(withoutDone));
    }

    @Test
    void aStreamWithoutUsageGivesNull() {
        // stream_options.include_usage not set: every chunk lacks usage
        String stream = OpenAiWireSamples.CHAT_STREAM.lines()
                .filter(line -> !line.contains("\"prompt_tokens\""))
                .map(line -> line.replace(",\"usage\":null", ""))
                .reduce("", (a, b) -> a + b + "\n");
        assertNull(readWhole(stream));
    }

    @Test
    void aStreamCutOffInsideTheUsageChunkGivesNull() {
        String stream = OpenAiWireSamples.CHAT_STREAM;
        String cut = stream.substring(0, stream.indexOf("\"completion_tokens\":300"));
        assertNull(readWhole(cut));
    }

    @Test
    void theLastUsageWinsAndAMalformedEventDoesNotLoseTheOthers() {
        String stream = "data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n"
                + "data: {\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20}}\n\n"
                + "data: {\"usage\":{\"prompt_tokens\":99, broken\n\n"
                + "data: [DONE]\n\n";
        assertEquals(new Usage(10, 0, 0, 20, 0), readWhole(stream));
    }

    @Test
    void linesThatAreNotDataEventsAreIgnored() {
        String stream = ": keep-alive comment mentioning usage\n"
                + "event: usage\n"
                + "id: usage-1\n"
                + "data:{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n" // no space after the colon is valid SSE
                + "data: \"usage\"\n"
                + "data: [DONE]\n";
        assertEquals(new Usage(3, 0, 0, 4, 0), readWhole(stream));
    }

    @Test
    void aVeryLongEventLineIsRead() {
        String content = "y".repeat(50_000);
        String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"" + content + "\"}}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":50000}}\n\n";
        assertEquals(new Usage(12, 0, 0, 50_000, 0), readInPieces(stream, 1000));
    }
}
