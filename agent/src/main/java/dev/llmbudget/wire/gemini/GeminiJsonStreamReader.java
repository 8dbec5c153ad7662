package dev.llmbudget.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.core.Usage;
import dev.llmbudget.wire.Json;
import dev.llmbudget.wire.JsonBodyUsageReader;
import dev.llmbudget.wire.UsageExtractor;
import dev.llmbudget.wire.UsageReader;
import java.util.Arrays;
import java.util.Set;

/**
 * Usage from a Gemini response body that is JSON rather than SSE: {@code streamGenerateContent}
 * without {@code alt=sse} streams a JSON <em>array</em> of GenerateContentResponse objects, sent
 * element by element as they are generated; {@code generateContent} answers one such object.
 *
 * <p>The body is read as the application consumes it, keeping one element at a time: a lexer that
 * knows only strings, escapes and nesting finds where each top-level element (or the one top-level
 * object) begins and ends, and that element alone is handed to Jackson. A stream of any length
 * therefore costs the memory of its largest chunk, and a chunk over the cap (an inline image, say)
 * is skipped rather than kept; usage is cumulative, so a later chunk still reports it. The last
 * element that reports usage wins. An element cut by the end of the body is never parsed.
 */
final class GeminiJsonStreamReader implements UsageReader {
    /** Far beyond any model's output limit; a stream past it is charged its reservation. */
    static final int MAX_OUTPUT_CHARS = 4_000_000;

    private static final int RETAINED_BUFFER_BYTES = 64 * 1024;
    private static final Set<String> STREAM_FIELDS = Set.of("usageMetadata", "candidates", "promptFeedback");
    private static final Set<String> USAGE_FIELDS = Set.of("usageMetadata");

    private final UsageExtractor extractor;
    private final boolean countsOutput;
    private final int maxElementBytes;
    private final int maxOutputChars;

    private int depth;
    private boolean inString;
    private boolean escaped;
    /** Whether the current top-level value is an array, whose object elements are the chunks. */
    private boolean inArray;
    /** The depth at which the element being captured closes; -1 when none is. */
    private int elementDepth = -1;
    private byte[] element = new byte[4096];
    private int elementSize;
    private boolean elementOverflowed;

    private boolean finished;
    private Usage last;
    private final StringBuilder output = new StringBuilder();
    private boolean outputOverflowed;

    /**
     * @param countsOutput whether the output text of the chunks is collected for {@link #outputSoFar}
     *     (a stream's; a plain response without usage is charged its reservation, as every provider's is)
     */
    GeminiJsonStreamReader(UsageExtractor extractor, boolean countsOutput) {
        this(extractor, countsOutput, JsonBodyUsageReader.MAX_BODY_BYTES, MAX_OUTPUT_CHARS);
    }

    GeminiJsonStreamReader(UsageExtractor extractor, boolean countsOutput, int maxElementBytes, int maxOutputChars) {
        this.extractor = extractor;
        this.countsOutput = countsOutput;
        this.maxElementBytes = maxElementBytes;
        this.maxOutputChars = maxOutputChars;
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) {
        if (finished) {
            return;
        }
        for (int i = offset, end = offset + length; i < end; i++) {
            scan(bytes[i]);
        }
    }

    /**
     * One byte of the body. UTF-8 never uses the bytes of {@code " \ { } [ ]} inside a multi-byte
     * character, so scanning bytes is exact.
     */
    private void scan(byte b) {
        if (elementDepth >= 0) {
            keep(b);
        }
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = false;
            }
            return;
        }
        switch (b) {
            case '"' -> inString = true;
            case '{', '[' -> {
                if (depth == 0) {
                    inArray = b == '[';
                }
                if (elementDepth < 0 && b == '{' && (depth == 0 || depth == 1 && inArray)) {
                    elementDepth = depth;
                    elementSize = 0;
                    elementOverflowed = false;
                    keep(b);
                }
                depth++;
            }
            case '}', ']' -> {
                if (depth > 0) {
                    depth--;
                }
                if (depth == elementDepth) {
                    elementDepth = -1;
                    endElement();
                }
            }
            default -> {
                // commas, whitespace, numbers and literals outside strings carry no structure
            }
        }
    }

    private void keep(byte b) {
        if (elementOverflowed) {
            return;
        }
        if (elementSize == maxElementBytes) {
            elementOverflowed = true;
            element = new byte[4096];
            return;
        }
        if (elementSize == element.length) {
            element = Arrays.copyOf(element, (int) Math.min((long) element.length * 2, maxElementBytes));
        }
        element[elementSize++] = b;
    }

    private void endElement() {
        if (elementOverflowed) {
            return;
        }
        byte[] bytes = element;
        if (element.length > RETAINED_BUFFER_BYTES) {
            element = new byte[4096]; // one large chunk (an inline image) does not pin its buffer for the rest of the stream
        }
        try {
            JsonNode chunk = Json.parseFields(bytes, 0, elementSize, countsOutput ? STREAM_FIELDS : USAGE_FIELDS);
            if (chunk == null) {
                return;
            }
            Usage usage = extractor.usageIn(chunk);
            if (usage != null) {
                last = usage;
            }
            if (countsOutput) {
                collectOutput(extractor.outputTextIn(chunk));
            }
        } catch (Exception unreadable) {
            // one malformed element does not lose the usage of the others
        }
    }

    private void collectOutput(String text) {
        if (text == null || text.isEmpty() || outputOverflowed) {
            return;
        }
        if (output.length() + (long) text.length() > maxOutputChars) {
            // past any real completion: give up counting, the call is charged its reservation instead
            outputOverflowed = true;
            output.setLength(0);
            output.trimToSize();
            return;
        }
        output.append(text);
    }

    @Override
    public Usage finish() {
        // an element still open was cut by the end of the body: it is not read
        finished = true;
        element = null;
        return last;
    }

    @Override
    public String outputSoFar() {
        return !countsOutput || outputOverflowed ? null : output.toString();
    }
}
