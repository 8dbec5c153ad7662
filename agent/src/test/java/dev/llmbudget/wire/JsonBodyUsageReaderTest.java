package dev.llmbudget.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmbudget.core.Usage;
import dev.llmbudget.wire.openai.OpenAiProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JsonBodyUsageReaderTest {
    private static final Usage CHAT_USAGE = new Usage(1117, 1024, 0, 46, 0);

    private static JsonBodyUsageReader reader() {
        return new JsonBodyUsageReader(OpenAiProtocol::usageIn);
    }

    private static Usage feedInPieces(byte[] body, int piece) {
        JsonBodyUsageReader reader = reader();
        // pieces sit at an offset inside a larger buffer, as in a real read loop
        byte[] buffer = new byte[piece + 16];
        for (int at = 0; at < body.length; at += piece) {
            int n = Math.min(piece, body.length - at);
            Arrays.fill(buffer, (byte) '#');
            System.arraycopy(body, at, buffer, 8, n);
            reader.accept(buffer, 8, n);
        }
        return reader.finish();
    }

    @Test
    void readsUsageFromAChatCompletion() {
        byte[] body = OpenAiWireSamples.CHAT_COMPLETION.getBytes(StandardCharsets.UTF_8);
        assertEquals(CHAT_USAGE, feedInPieces(body, body.length));
    }

    @Test
    void theBodyMayArriveInAnyPieces() {
        byte[] body = OpenAiWireSamples.CHAT_COMPLETION.getBytes(StandardCharsets.UTF_8);
        for (int piece : new int[] {1, 2, 3, 7, 64, 1000}) {
            assertEquals(CHAT_USAGE, feedInPieces(body, piece), "pieces of " + piece);
        }
    }

    @Test
    void aBodyLargerThanTheInitialBufferIsRead() {
        String longContent = "x".repeat(200_000);
        String body = OpenAiWireSamples.CHAT_COMPLETION.replace("\"content\": \"The usage", "\"content\": \"" + longContent);
        assertEquals(CHAT_USAGE, feedInPieces(body.getBytes(StandardCharsets.UTF_8), 8_192));
    }

    @Test
    void readsReasoningTokensAndResponsesApiUsage() {
        String responses = """
                {"id":"resp_123","object":"response","status":"completed","model":"o4-mini-2025-04-16",
                 "output":[{"type":"reasoning","id":"rs_1","summary":[]},
                           {"type":"message","id":"msg_1","role":"assistant","content":[{"type":"output_text","text":"Hi"}]}],
                 "usage":{"input_tokens":328,"input_tokens_details":{"cached_tokens":128},
                          "output_tokens":952,"output_tokens_details":{"reasoning_tokens":896},"total_tokens":1280}}
                """;
        assertEquals(new Usage(328, 128, 0, 952, 896), feedInPieces(responses.getBytes(StandardCharsets.UTF_8), 5));
    }

    @Test
    void anEmbeddingsResponseHasInputOnly() {
        String embeddings = """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[-0.006929283,-0.005336422,0.00024047505]}],
                 "model":"text-embedding-3-small","usage":{"prompt_tokens":5,"total_tokens":5}}
                """;
        assertEquals(new Usage(5, 0, 0, 0, 0), feedInPieces(embeddings.getBytes(StandardCharsets.UTF_8), 4096));
    }

    @Test
    void noUsageMeansNull() {
        String error = """
                {"error":{"message":"Rate limit reached for gpt-4o","type":"requests","param":null,"code":"rate_limit_exceeded"}}
                """;
        assertNull(feedInPieces(error.getBytes(StandardCharsets.UTF_8), 16));
        assertNull(feedInPieces("{\"usage\":null}".getBytes(StandardCharsets.UTF_8), 16));
        assertNull(feedInPieces("{\"usage\":{\"total_tokens\":5}}".getBytes(StandardCharsets.UTF_8), 16));
    }

    @Test
    void aTruncatedOrEmptyBodyMeansNullNotAnException() {
        byte[] body = OpenAiWireSamples.CHAT_COMPLETION.getBytes(StandardCharsets.UTF_8);
        assertNull(feedInPieces(Arrays.copyOf(body, body.length / 2), 100));
        assertNull(reader().finish());
        assertNull(feedInPieces("<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8), 100));
    }

    @Test
    void aBodyOverTheCapIsDroppedSoTheCallIsChargedItsReservation() {
        JsonBodyUsageReader reader = reader();
        byte[] chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        byte[] body = OpenAiWireSamples.CHAT_COMPLETION.getBytes(StandardCharsets.UTF_8);
        reader.accept(body, 0, body.length - 1); // all but the closing brace
        for (int i = 0; i <= JsonBodyUsageReader.MAX_BODY_BYTES / chunk.length; i++) {
            reader.accept(chunk, 0, chunk.length);
        }
        reader.accept(new byte[] {'}'}, 0, 1);
        assertNull(reader.finish());
    }

    @Test
    void negativeCountsAreReadAsZero() {
        String body = "{\"usage\":{\"prompt_tokens\":-3,\"completion_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":\"many\"}}}";
        assertEquals(new Usage(0, 0, 0, 7, 0), feedInPieces(body.getBytes(StandardCharsets.UTF_8), 3));
    }
}
