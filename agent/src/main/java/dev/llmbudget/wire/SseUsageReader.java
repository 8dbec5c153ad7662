package dev.llmbudget.wire;

import dev.llmbudget.core.Usage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Usage from a server-sent-events stream, read line by line as the application consumes the stream:
 * nothing but the current line and the output text so far is kept, however long the stream. The last
 * event that carries usage wins (OpenAI sends it in the final chunk; Anthropic's counts are
 * cumulative). The output text the events carry is collected too, so that a stream cut before its
 * usage arrives is charged for what it generated ({@link #outputSoFar}).
 */
public final class SseUsageReader implements UsageReader {
    private static final byte[] USAGE = "usage".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    /** Far beyond any model's output limit; a stream past it is charged its reservation. */
    static final int MAX_OUTPUT_CHARS = 4_000_000;

    private final UsageExtractor extractor;
    private byte[] line = new byte[1024];
    private int lineLength;
    private Usage last;
    private final StringBuilder output = new StringBuilder();
    private boolean outputOverflowed;

    public SseUsageReader(UsageExtractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endLine();
            } else {
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, line.length * 2);
                }
                line[lineLength++] = b;
            }
        }
    }

    @Override
    public Usage finish() {
        endLine();
        return last;
    }

    private void endLine() {
        int length = lineLength;
        lineLength = 0;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (length <= DATA.length || !startsWith(line, DATA)) {
            return;
        }
        int start = DATA.length;
        while (start < length && line[start] == ' ') {
            start++;
        }
        if (start >= length || line[start] != '{') {
            return;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode event = Json.parse(line, start, length - start);
            if (indexOf(line, length, USAGE) >= 0) {
                Usage usage = extractor.usageIn(event);
                if (usage != null) {
                    last = usage;
                }
            }
            collectOutput(extractor.outputTextIn(event));
        } catch (Exception unreadable) {
            // one malformed event does not lose the usage of the others
        }
    }

    @Override
    public String outputSoFar() {
        return outputOverflowed ? null : output.toString();
    }

    private void collectOutput(String text) {
        if (text == null || text.isEmpty() || outputOverflowed) {
            return;
        }
        if (output.length() + text.length() > MAX_OUTPUT_CHARS) {
            // past any real completion: give up counting, the call is charged its reservation instead
            outputOverflowed = true;
            output.setLength(0);
            return;
        }
        output.append(text);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
