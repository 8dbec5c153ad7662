package dev.llmbudget.store.journal;

import dev.llmbudget.log.AgentLog;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The journal file, open for appending. Every line goes to the OS with a {@code write} before the
 * append returns, so a killed JVM loses nothing (the page cache outlives the process); {@link #sync}
 * makes it survive an OS crash too. Appends from all threads are serialised by one lock, held only
 * for the write itself: lines are encoded before it is taken.
 *
 * <p>Writes go through a {@link RandomAccessFile}, not a {@code FileChannel}: the agent appends from the
 * application's own threads, and a FileChannel closes itself for every thread when one thread that
 * is using it is interrupted ({@code Future.cancel(true)}, {@code shutdownNow}), which would stop the
 * journal. RandomAccessFile makes the same {@code write} and {@code fsync} system calls and ignores
 * interrupts.
 */
final class JournalFile {
    /** Lines kept for a journal that cannot be written, at most: beyond that a restart charges their calls in full. */
    private static final int MAX_KEPT = 65_536;

    private final Path path;
    private final Path tmp;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Settles, releases and acks whose write failed, oldest first: written before any later line once writing works. */
    private final ArrayDeque<byte[]> kept = new ArrayDeque<>();
    private final AtomicLong syncs = new AtomicLong();
    /** Null only when it could not be reopened after compaction; the next write tries again. */
    private volatile RandomAccessFile file;
    private volatile boolean closed;
    private volatile boolean dirty;
    private long size;
    private long sizeAtCompaction;

    private JournalFile(Path path) {
        this.path = path;
        this.tmp = path.resolveSibling(path.getFileName() + ".tmp");
    }

    /** Makes {@code snapshot} the journal (replacing the file that was replayed into it, torn tail and all) and opens it. */
    static JournalFile create(Path path, List<JournalEvent> snapshot) throws IOException {
        JournalFile journal = new JournalFile(path);
        journal.replaceWith(snapshot);
        return journal;
    }

    /**
     * Appends a line, after any lines kept from failed writes.
     *
     * @throws IOException when it could not be written; nothing of it stays in the file
     */
    void append(JournalCodec.Line line) throws IOException {
        writeLock.lock();
        try {
            writeKept();
            write(line.bytes(), line.length());
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Appends a line, or keeps it to write later: for events whose caller must not fail. A line that
     * stays unwritten only ever costs more, never less: its reservation stays open in the file, and a
     * restart charges it in full.
     *
     * @return whether it was written now
     */
    boolean appendOrKeep(JournalCodec.Line line) {
        writeLock.lock();
        try {
            if (closed) {
                AgentLog.once("journal-closed:" + path, AgentLog.Level.WARN, "a call ended after the spend journal " + path
                        + " was closed; the next JVM to open it charges that call's reservation in full", null);
                return false;
            }
            writeKept();
            write(line.bytes(), line.length());
            return true;
        } catch (IOException e) {
            AgentLog.once("journal-write:" + path, AgentLog.Level.ERROR, "cannot write to the spend journal " + path + " (" + e
                    + "); settlements still count in this JVM and are written when the journal can be written again."
                    + " A restart before then charges their calls in full.", null);
            if (kept.size() < MAX_KEPT) {
                kept.addLast(line.copy());
            }
            return false;
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes the lines kept from failed writes, if it can now. */
    void retryKept() {
        writeLock.lock();
        try {
            writeKept();
        } catch (IOException stillFailing) {
            // reported when the first line was kept; they stay kept
        } finally {
            writeLock.unlock();
        }
    }

    void syncIfDirty() {
        if (dirty) {
            sync();
        }
    }

    /** Forces what has been written to the disk ({@code fsync}). Outside the write lock: appends go on meanwhile. */
    void sync() {
        dirty = false;
        RandomAccessFile target = file;
        if (target == null) {
            return;
        }
        try {
            target.getFD().sync();
            syncs.incrementAndGet();
        } catch (IOException e) {
            if (target == file && !closed) { // else compaction replaced it, and forced everything it held
                dirty = true;
                AgentLog.once("journal-sync:" + path, AgentLog.Level.ERROR, "cannot force the spend journal " + path
                        + " to disk (" + e + "); its events are written, but an OS crash may lose the latest", null);
            }
        }
    }

    /** Bytes appended since the last compaction (or attempt at one). */
    long growth() {
        writeLock.lock();
        try {
            return size - sizeAtCompaction;
        } finally {
            writeLock.unlock();
        }
    }

    long size() {
        writeLock.lock();
        try {
            return size;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Replaces the journal with a snapshot of {@code state}, which the caller replayed from the journal's
     * first {@code replayedTo} bytes without holding up appends. Under the write lock, the lines appended
     * since are replayed into it too, so no event is lost; lines kept from failed writes are in neither and
     * go to the new file afterwards.
     */
    void compact(JournalState state, long replayedTo, long nowMillis) throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            sizeAtCompaction = size; // an attempt that fails waits for the journal to grow as much again
            JournalReplay.replay(path, replayedTo, size, state);
            state.dropExpired(nowMillis);
            replaceWith(state.snapshot(nowMillis));
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes what is kept, forces and closes. Never throws. */
    void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                writeKept();
            } catch (IOException e) {
                AgentLog.error(kept.size() + " settlement(s) could not be written to the spend journal " + path + " (" + e
                        + "); their calls are charged in full when it is next opened");
            }
            closed = true;
            RandomAccessFile target = file;
            if (target != null) {
                try {
                    target.getFD().sync();
                } catch (IOException e) {
                    AgentLog.error("cannot force the spend journal " + path + " to disk at close (" + e + ")");
                }
                closeQuietly(target);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Stops as a killed JVM would: closes without writing what is kept or forcing anything. For tests. */
    void abandon() {
        writeLock.lock();
        try {
            closed = true;
            closeQuietly(file);
        } finally {
            writeLock.unlock();
        }
    }

    /** How many times the file was forced: lets tests see the fsync policy at work. */
    long syncs() {
        return syncs.get();
    }

    private void writeKept() throws IOException {
        while (!kept.isEmpty()) {
            byte[] line = kept.peekFirst();
            write(line, line.length);
            kept.removeFirst();
        }
    }

    private void write(byte[] bytes, int length) throws IOException {
        if (closed) {
            throw new IOException("the journal is closed");
        }
        RandomAccessFile target = file;
        if (target == null) {
            open();
            target = file;
        }
        try {
            target.write(bytes, 0, length);
        } catch (IOException e) {
            // Part of the line may have reached the file. The next write starts where this one did, so it
            // overwrites the fragment even if cutting it off fails too.
            try {
                target.seek(size);
                target.setLength(size);
            } catch (IOException ignored) {
                // the seek is what matters; a fragment left past the end is a torn tail replay ignores
            }
            throw e;
        }
        size += length;
        dirty = true;
    }

    /**
     * Writes the snapshot to {@code <journal>.tmp}, forces it, and moves it over the journal in one atomic
     * step, so that after a crash the journal is either the old file or the whole new one. The folder is
     * forced too, where the OS allows it, so the move itself survives an OS crash.
     */
    private void replaceWith(List<JournalEvent> snapshot) throws IOException {
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
            BufferedOutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
            for (JournalEvent event : snapshot) {
                JournalCodec.Line line = JournalCodec.encode(event);
                buffered.write(line.bytes(), 0, line.length());
            }
            buffered.flush();
            out.getFD().sync();
        }
        closeQuietly(file); // Windows cannot replace a file that is open
        file = null;
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolder();
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        } finally {
            open(); // the new journal, or the old one if it could not be replaced
        }
        sizeAtCompaction = size;
    }

    private void open() throws IOException {
        RandomAccessFile opened = new RandomAccessFile(path.toFile(), "rw");
        size = opened.length();
        opened.seek(size);
        file = opened;
    }

    private void syncFolder() {
        try (FileChannel folder = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException notSupported) {
            // Windows cannot open a folder; its file systems make a rename durable by themselves
        }
    }

    private static void closeQuietly(RandomAccessFile target) {
        if (target != null) {
            try {
                target.close();
            } catch (IOException ignored) {
                // nothing more to lose: everything was written before
            }
        }
    }
}
