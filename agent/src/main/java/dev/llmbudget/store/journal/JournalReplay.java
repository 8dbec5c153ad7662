package dev.llmbudget.store.journal;

import dev.llmbudget.store.StoreException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a journal file into a {@link JournalState}, line by line, and reports what it could not read.
 *
 * <p>A line that fails its checksum is one of two things. Followed by good lines, it was damaged in
 * place (a bad disk block, a hand edit): it is skipped and reported, and the events after it still
 * count. With no good line after it, it is the torn end of a write cut short by a crash (the process
 * in the middle of {@code write}, or the OS losing its last pages): everything from the last good
 * line on is ignored, and the caller cuts it away before appending.
 */
final class JournalReplay {
    /** Longer than any line this agent writes; caps memory when the file is something else entirely. */
    private static final int MAX_LINE = 1 << 20;

    /**
     * @param validEnd the offset just after the last good line; anything after it is a torn tail
     * @param end the offset replay stopped at
     * @param damagedLines line numbers (counted from where replay started, first 1) of bad lines followed by good ones
     */
    record Result(long validEnd, long end, List<Long> damagedLines) {
        long tornBytes() {
            return end - validEnd;
        }
    }

    private JournalReplay() {
    }

    /**
     * Replays a whole journal. A missing or empty file is an empty journal.
     *
     * @throws StoreException when the file is not a journal, or one in a newer format
     */
    static Result replay(Path path, JournalState state) throws IOException {
        return replay(path, 0, -1, state);
    }

    /**
     * Replays the bytes in {@code [from, to)} ({@code to} -1: to the end), which must start at a line
     * boundary; from 0, the first line must be a journal header. Reads with a RandomAccessFile, which
     * a thread's interrupt cannot close (a FileChannel would be).
     */
    static Result replay(Path path, long from, long to, JournalState state) throws IOException {
        if (!Files.exists(path)) {
            return new Result(0, 0, List.of());
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            long end = to < 0 ? file.length() : to;
            file.seek(from);
            byte[] chunk = new byte[64 * 1024];
            byte[] line = new byte[512];
            int lineLength = 0;
            boolean tooLong = false;
            boolean headerDue = from == 0;
            long position = from;
            long validEnd = from;
            long lineNumber = 0;
            List<Long> suspect = new ArrayList<>();
            List<Long> damaged = new ArrayList<>();
            while (position < end) {
                int read = file.read(chunk, 0, (int) Math.min(chunk.length, end - position));
                if (read < 0) {
                    break;
                }
                for (int i = 0; i < read; i++) {
                    byte b = chunk[i];
                    if (b != '\n') {
                        if (lineLength == MAX_LINE) {
                            tooLong = true;
                        } else {
                            if (lineLength == line.length) {
                                line = Arrays.copyOf(line, line.length * 2);
                            }
                            line[lineLength++] = b;
                        }
                        continue;
                    }
                    lineNumber++;
                    JournalEvent event = tooLong ? null : JournalCodec.decode(line, lineLength);
                    if (headerDue) {
                        checkHeader(event, path);
                        headerDue = false;
                    }
                    if (event == null) {
                        suspect.add(lineNumber);
                    } else {
                        damaged.addAll(suspect);
                        suspect.clear();
                        state.apply(event);
                        validEnd = position + i + 1;
                    }
                    lineLength = 0;
                    tooLong = false;
                }
                position += read;
            }
            if (headerDue && position > 0) {
                checkHeader(null, path); // bytes, but not one whole line: not a journal this agent wrote
            }
            return new Result(validEnd, position, damaged);
        }
    }

    private static void checkHeader(JournalEvent first, Path path) {
        if (!(first instanceof JournalEvent.Header header)) {
            throw new StoreException(path + " is not a spend journal (it does not start with a '" + JournalCodec.MAGIC
                    + "' line), so it is left untouched. Point store.journal.path at a new file or at an existing journal.");
        }
        if (header.version() != JournalCodec.VERSION) {
            throw new StoreException("the spend journal " + path + " is in format " + header.version()
                    + ", written by another version of llm-budget-agent; this one reads format " + JournalCodec.VERSION + ".");
        }
    }
}
