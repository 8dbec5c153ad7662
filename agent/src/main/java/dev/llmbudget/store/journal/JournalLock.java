package dev.llmbudget.store.journal;

import dev.llmbudget.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One writer per journal: an OS lock on {@code <journal>.lock}, which holds the owner's pid. Two JVMs
 * appending to one journal would each decide against only their own spend and interleave their
 * lines, so the second is refused instead. The lock is on a file of its own because compaction
 * replaces the journal file (a lock on it would stay with the old one). The OS drops the lock when
 * its process dies, {@code kill -9} included, so a crashed JVM never leaves the journal locked; the
 * lock file itself is never deleted (deleting it could let two processes lock two different files).
 */
final class JournalLock {
    /**
     * Lock files locked by this JVM. Checked before the lock file is even opened: on POSIX, closing
     * any descriptor of a file drops every lock the process holds on it, so a refused second open in
     * this JVM must never open and close the file the first one holds its lock through.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final AtomicBoolean released = new AtomicBoolean();

    private JournalLock(Path key, FileChannel channel) {
        this.key = key;
        this.channel = channel;
    }

    /** @throws StoreException when another JVM, or another store in this one, has the journal */
    static JournalLock acquire(Path journal) {
        Path lockPath = journal.resolveSibling(journal.getFileName() + ".lock");
        long pid = ProcessHandle.current().pid();
        Path key = realFolder(lockPath);
        if (!HELD.add(key)) {
            throw new StoreException("the spend journal " + journal + " is already open in this JVM (pid " + pid + "; lock "
                    + lockPath + " held). Close the other store first, or give each its own store.journal.path.");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                // Held in this JVM by a copy of these classes in another class loader, which HELD cannot see.
                // Closing our channel below may then drop that copy's OS lock (POSIX); no way around it short
                // of keeping a descriptor open for good, and two agent copies in one JVM is already broken.
                lock = null;
            }
            if (lock == null) {
                String holder = readPid(channel);
                throw new StoreException("the spend journal " + journal + " is in use by another JVM ("
                        + (holder == null ? "" : "pid " + holder + "; ") + "lock " + lockPath + " held). Give each JVM its own"
                        + " store.journal.path, or use store=redis to share one budget across JVMs.");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new JournalLock(key, channel);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            closeQuietly(channel);
            if (e instanceof StoreException refused) {
                throw refused;
            }
            throw new StoreException("cannot lock the spend journal " + journal + " (" + lockPath + "): " + e, e);
        }
    }

    /** Lets go of the lock (closing the channel releases it). Never throws. */
    void release() {
        if (released.compareAndSet(false, true)) { // twice would free the key of a store that opened the journal since
            closeQuietly(channel);
            HELD.remove(key);
        }
    }

    /** The lock file's path with its folder's symbolic links resolved, so two spellings of one journal are one key. */
    private static Path realFolder(Path lockPath) {
        try {
            return lockPath.getParent().toRealPath().resolve(lockPath.getFileName());
        } catch (IOException e) {
            return lockPath;
        }
    }

    private static String readPid(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return text.matches("[0-9]+") ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing releases the lock whether or not close reports an error
            }
        }
    }
}
