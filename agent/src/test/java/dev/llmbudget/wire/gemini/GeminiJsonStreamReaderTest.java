package dev.llmbudget.wire.gemini;

import static dev.llmbudget.wire.gemini.GeminiWireSamples.ARRAY_STREAM;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.ARRAY_STREAM_CUT;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.STREAM_TEXT;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.STREAM_TEXT_1;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.STREAM_TEXT_2;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.STREAM_USAGE;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.USAGE_AFTER_CHUNK_2;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.readByteByByte;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.readInRandomPieces;
import static dev.llmbudget.wire.gemini.GeminiWireSamples.readWhole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.core.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeminiJsonStreamReaderTest {

    private static GeminiJsonStreamReader streamReader() {
        return new GeminiJsonStreamReader(new GeminiStreamUsage(), true);
    }

    private static String chunk(String text, long candidates, boolean last) {
        return """
                {"candidates":[{"content":{"parts":[{"text":%s}],"role":"model"}%s,"index":0}],\
                "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":%d,"totalTokenCount":%d}}"""
                .formatted(quote(text), last ? ",\"finishReason\":\"STOP\"" : "", candidates, 5 + candidates);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void theLastElementWithUsageWinsAndTheTextIsCollected() {
        GeminiJsonStreamReader reader = streamReader();
        assertEquals(STREAM_USAGE, readWhole(reader, ARRAY_STREAM));
        assertEquals(STREAM_TEXT, reader.outputSoFar());
    }

    @Test
    void byteByByteFeedingGivesTheSameUsageAndText() {
        GeminiJsonStreamReader reader = streamReader();
        assertEquals(STREAM_USAGE, readByteByByte(reader, ARRAY_STREAM));
        assertEquals(STREAM_TEXT, reader.outputSoFar(), "multi-byte characters split across pieces are whole again");
    }

    @Test
    void randomSplitsGiveTheSameUsageAndText() {
        for (long seed = 0; seed < 100; seed++) {
            GeminiJsonStreamReader reader = streamReader();
            assertEquals(STREAM_USAGE, readInRandomPieces(reader, ARRAY_STREAM, seed), "seed " + seed);
            assertEquals(STREAM_TEXT, reader.outputSoFar(), "seed " + seed);
        }
    }

    @Test
    void aStreamCutMidArrayHasTheUsageOfItsLastWholeElement() {
        GeminiJsonStreamReader reader = streamReader();
        assertEquals(USAGE_AFTER_CHUNK_2, readWhole(reader, ARRAY_STREAM_CUT));
        assertEquals(STREAM_TEXT_1 + STREAM_TEXT_2, reader.outputSoFar(), "the cut element's text is not read");

        for (long seed = 0; seed < 30; seed++) {
            GeminiJsonStreamReader pieces = streamReader();
            assertEquals(USAGE_AFTER_CHUNK_2, readInRandomPieces(pieces, ARRAY_STREAM_CUT, seed), "seed " + seed);
            assertEquals(STREAM_TEXT_1 + STREAM_TEXT_2, pieces.outputSoFar());
        }
    }

    @Test
    void aStreamCutAtEveryByteNeverFailsAndNeverGoesBack() {
        byte[] bytes = ARRAY_STREAM.getBytes(StandardCharsets.UTF_8);
        long lastOutput = 0;
        for (int cut = 0; cut <= bytes.length; cut++) {
            GeminiJsonStreamReader reader = streamReader();
            reader.accept(bytes, 0, cut);
            Usage usage = reader.finish();
            long output = usage == null ? 0 : usage.outputTokens();
            assertTrue(output >= lastOutput, "cut at " + cut);
            lastOutput = output;
        }
        assertEquals(STREAM_USAGE.outputTokens(), lastOutput);
    }

    @Test
    void aStreamCutBeforeAnyUsageHasNoneButKeepsNoText() {
        GeminiJsonStreamReader reader = streamReader();
        assertNull(readWhole(reader, ARRAY_STREAM.substring(0, 200)));
        assertEquals("", reader.outputSoFar());
    }

    @Test
    void structureInsideStringsIsNotMistakenForElements() {
        String tricky = "]}, {\"usageMetadata\":{\"promptTokenCount\":99999,\"candidatesTokenCount\":99999}} [{\\\"";
        String stream = "[" + chunk(tricky, 3, false) + "," + chunk("\\\"}]", 4, true) + "]";
        GeminiJsonStreamReader reader = streamReader();
        assertEquals(new Usage(5, 0, 0, 4, 0), readWhole(reader, stream));
        assertEquals(tricky + "\\\"}]", reader.outputSoFar());
    }

    @Test
    void aMalformedElementDoesNotLoseTheOthers() {
        String stream = "[" + chunk("a", 1, false) + ",{\"candidates\":[{\"content\":}]},\n" + chunk("b", 2, true) + "]";
        GeminiJsonStreamReader reader = streamReader();
        assertEquals(new Usage(5, 0, 0, 2, 0), readWhole(reader, stream));
        assertEquals("ab", reader.outputSoFar());
    }

    @Test
    void anErrorElementAtTheEndKeepsTheUsageBeforeIt() {
        String stream = "[" + chunk("partial", 7, false) + """
                ,
                {
                  "error": {
                    "code": 503,
                    "message": "The model is overloaded. Please try again later.",
                    "status": "UNAVAILABLE"
                  }
                }
                ]""";
        GeminiJsonStreamReader reader = streamReader();
        assertEquals(new Usage(5, 0, 0, 7, 0), readWhole(reader, stream));
        assertEquals("partial", reader.outputSoFar());
    }

    @Test
    void anEmptyOrForeignBodyHasNoUsage() {
        assertNull(readWhole(streamReader(), ""));
        assertNull(readWhole(streamReader(), "[]"));
        assertNull(readWhole(streamReader(), "[1, \"{\", null, [2, {\"usageMetadata\":{\"promptTokenCount\":3}}]]"));
        assertNull(readWhole(streamReader(), "<html><body>502 Bad Gateway</body></html>"));
        assertNull(streamReader().finish());
    }

    @Test
    void aPlainObjectIsReadToo() {
        GeminiJsonStreamReader reader = new GeminiJsonStreamReader(GeminiProtocol::usageIn, false);
        assertEquals(GeminiWireSamples.RESPONSE_USAGE, readByteByByte(reader, "\uFEFF" + GeminiWireSamples.RESPONSE));
        assertNull(reader.outputSoFar(), "a plain response counts no output");
    }

    @Test
    void anElementOverTheCapIsSkippedAndTheNextStillCounts() {
        String big = chunk("x".repeat(5000), 50, false);
        String stream = "[" + chunk("a", 1, false) + "," + big + "," + chunk("b", 60, true) + "]";
        GeminiJsonStreamReader reader = new GeminiJsonStreamReader(new GeminiStreamUsage(), true, 1000, 1_000_000);
        assertEquals(new Usage(5, 0, 0, 60, 0), readWhole(reader, stream));
        assertEquals("ab", reader.outputSoFar());

        GeminiJsonStreamReader cutAfterBig = new GeminiJsonStreamReader(new GeminiStreamUsage(), true, 1000, 1_000_000);
        assertEquals(new Usage(5, 0, 0, 1, 0), readInRandomPieces(cutAfterBig, "[" + chunk("a", 1, false) + "," + big, 3));
    }

    @Test
    void anElementExactlyAtTheCapIsRead() {
        String element = chunk("a", 1, true);
        int size = element.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(new Usage(5, 0, 0, 1, 0),
                readWhole(new GeminiJsonStreamReader(new GeminiStreamUsage(), true, size, 100), "[" + element + "]"));
        assertNull(readWhole(new GeminiJsonStreamReader(new GeminiStreamUsage(), true, size - 1, 100), "[" + element + "]"));
    }

    @Test
    void outputPastTheCapIsNoLongerCounted() {
        GeminiJsonStreamReader reader = new GeminiJsonStreamReader(new GeminiStreamUsage(), true, 1_000_000, 10);
        readWhole(reader, "[" + chunk("12345", 1, false) + "," + chunk("67890", 2, false) + "]");
        assertEquals("1234567890", reader.outputSoFar());

        GeminiJsonStreamReader over = new GeminiJsonStreamReader(new GeminiStreamUsage(), true, 1_000_000, 10);
        Usage usage = readWhole(over, "[" + chunk("12345", 1, false) + "," + chunk("678901", 2, false) + ","
                + chunk("2", 3, true) + "]");
        assertNull(over.outputSoFar(), "past the cap the output is unknown");
        assertEquals(new Usage(5, 0, 0, 3, 0), usage, "usage is still read");
    }

    @Test
    void theDefaultOutputCapIsFourMillionChars() {
        assertEquals(4_000_000, GeminiJsonStreamReader.MAX_OUTPUT_CHARS);
        GeminiJsonStreamReader reader = streamReader();
        String megabyte = "y".repeat(1_000_000);
        StringBuilder stream = new StringBuilder("[");
        for (int i = 0; i < 4; i++) {
            stream.append(chunk(megabyte, i + 1, false)).append(',');
        }
        byte[] first = stream.toString().getBytes(StandardCharsets.UTF_8);
        reader.accept(first, 0, first.length);
        assertEquals(4_000_000, reader.outputSoFar().length());
        byte[] more = (chunk("z", 5, true) + "]").getBytes(StandardCharsets.UTF_8);
        reader.accept(more, 0, more.length);
        assertEquals(new Usage(5, 0, 0, 5, 0), reader.finish());
        assertNull(reader.outputSoFar());
    }

    @Test
    void bytesAfterFinishAreIgnored() {
        GeminiJsonStreamReader reader = streamReader();
        assertEquals(STREAM_USAGE, readWhole(reader, ARRAY_STREAM));
        byte[] more = ("[" + chunk("late", 99, true) + "]").getBytes(StandardCharsets.UTF_8);
        reader.accept(more, 0, more.length);
        assertEquals(STREAM_USAGE, reader.finish());
    }
}
