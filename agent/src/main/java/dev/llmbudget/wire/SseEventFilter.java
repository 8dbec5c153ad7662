package dev.llmbudget.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Passes a server-sent-event stream through whole events at a time, leaving out the events whose
 * JSON {@code data} a predicate names: the agent hides what it added to a stream (a usage-only chunk
 * the application did not ask for). Holds at most one event, and reads no further ahead than the end
 * of the event being passed on.
 */
public final class SseEventFilter extends InputStream {
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final InputStream upstream;
    private final Predicate<JsonNode> leaveOut;
    private final byte[] marker;
    private byte[] buffer = new byte[8192];
    private int filled;
    /** Bytes {@code [0, ready)} of the buffer are a whole event, or the stream's tail, due to the reader. */
    private int ready;
    private int position;
    /** Where the search for the current event's end resumes: bytes before it hold no blank line. */
    private int scanned;
    private boolean upstreamEnded;

    /**
     * @param marker bytes every event to leave out contains (e.g. {@code usage}): others are passed on unparsed
     */
    public SseEventFilter(InputStream upstream, byte[] marker, Predicate<JsonNode> leaveOut) {
        this.upstream = upstream;
        this.marker = marker.clone();
        this.leaveOut = leaveOut;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position == ready) {
            if (!nextEvent()) {
                return -1;
            }
        }
        int n = Math.min(length, ready - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        upstream.close();
    }

    /** Moves the next event to be passed on to the front of the buffer; false at the end of the stream. */
    private boolean nextEvent() throws IOException {
        // drop what the reader has consumed
        System.arraycopy(buffer, ready, buffer, 0, filled - ready);
        filled -= ready;
        ready = 0;
        position = 0;
        scanned = 0;
        while (true) {
            int end = eventEnd();
            if (end < 0 && !upstreamEnded) {
                fill();
                continue;
            }
            if (end < 0) {
                end = filled; // the stream's tail, complete or not, is passed on as it is
                if (end == 0) {
                    return false;
                }
            }
            if (shouldLeaveOut(end)) {
                System.arraycopy(buffer, end, buffer, 0, filled - end);
                filled -= end;
                scanned = 0;
                continue;
            }
            ready = end;
            return true;
        }
    }

    private void fill() throws IOException {
        if (filled == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = upstream.read(buffer, filled, buffer.length - filled);
        if (n < 0) {
            upstreamEnded = true;
        } else {
            filled += n;
        }
    }

    /** The index just past the first blank line (LF LF or CR LF CR LF), or -1. */
    private int eventEnd() {
        for (int i = Math.max(0, scanned - 2); i + 1 < filled; i++) {
            if (buffer[i] == '\n' && buffer[i + 1] == '\n') {
                return i + 2;
            }
            if (buffer[i] == '\n' && buffer[i + 1] == '\r' && i + 2 < filled && buffer[i + 2] == '\n') {
                return i + 3;
            }
        }
        scanned = filled;
        return -1;
    }

    private boolean shouldLeaveOut(int end) {
        if (indexOf(buffer, 0, end, marker) < 0) {
            return false;
        }
        int data = indexOf(buffer, 0, end, DATA);
        if (data < 0) {
            return false;
        }
        int start = data + DATA.length;
        int stop = start;
        while (stop < end && buffer[stop] != '\n' && buffer[stop] != '\r') {
            stop++;
        }
        try {
            JsonNode json = Json.parse(buffer, start, stop - start);
            return json != null && leaveOut.test(json);
        } catch (IOException | RuntimeException notJson) {
            return false; // never hide what cannot be read
        }
    }

    private static int indexOf(byte[] haystack, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
