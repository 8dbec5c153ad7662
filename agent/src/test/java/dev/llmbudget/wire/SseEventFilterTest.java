package dev.llmbudget.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmbudget.wire.openai.OpenAiProtocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseEventFilterTest {
    private static final String CHUNK = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}],\"usage\":null}\n\n";
    private static final String LAST = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";
    private static final String USAGE_ONLY = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";
    private static final byte[] MARKER = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theUsageOnlyChunkIsLeftOutAndEverythingElsePassesUnchanged() throws IOException {
        String stream = CHUNK + CHUNK + LAST + USAGE_ONLY + DONE;
        assertEquals(CHUNK + CHUNK + LAST + DONE, filtered(stream, Integer.MAX_VALUE));
    }

    @Test
    void eventsSplitAcrossReadsInAnyWayComeOutTheSame() throws IOException {
        String stream = CHUNK + LAST + USAGE_ONLY + DONE;
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            assertEquals(CHUNK + LAST + DONE, filtered(stream, 1 + random.nextInt(40)));
        }
    }

    @Test
    void crlfEventsAndAnUnterminatedTailPassToo() throws IOException {
        String crlf = CHUNK.replace("\n", "\r\n") + USAGE_ONLY.replace("\n", "\r\n") + "data: [DONE]";
        assertEquals(CHUNK.replace("\n", "\r\n") + "data: [DONE]", filtered(crlf, 5));
    }

    @Test
    void whatCannotBeParsedIsNeverHidden() throws IOException {
        String odd = "data: {\"usage\": broken\n\n";
        assertEquals(odd + DONE, filtered(odd + DONE, 3));
    }

    /** The filtered stream, reading from an upstream that returns at most {@code piece} bytes per read. */
    private static String filtered(String stream, int piece) throws IOException {
        InputStream upstream = new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, piece));
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream filter = new SseEventFilter(upstream, MARKER, OpenAiProtocol::isUsageOnlyChunk)) {
            byte[] buffer = new byte[17];
            for (int n = filter.read(buffer); n >= 0; n = filter.read(buffer)) {
                out.write(buffer, 0, n);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
