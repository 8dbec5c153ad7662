package dev.llmbudget.ops.killswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmbudget.core.HaltSwitch.Halt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKillSwitchTest {
    @TempDir
    Path dir;

    @Test
    void noFileNoHaltThenTheFileHaltsWithItsFirstLineAndRemovingItResumes() throws Exception {
        Path path = dir.resolve("llm-budget.halt");
        FileKillSwitch halt = new FileKillSwitch(path);
        assertNull(halt.check());
        assertNull(halt.check());

        Files.writeString(path, "  incident 42, alice  \nsecond line is not the reason\n");
        Halt on = halt.check();
        assertNotNull(on, "the first check after the file appears halts");
        assertEquals("killswitch.file", on.rule());
        assertEquals("incident 42, alice (file " + path + ")", on.reason());
        assertEquals(on, halt.check());

        Files.delete(path);
        assertNull(halt.check(), "the first check after the file is removed resumes");
        Files.writeString(path, "again");
        assertEquals("again (file " + path + ")", halt.check().reason(), "a file that comes back halts again");
    }

    @Test
    void anEmptyFileHaltsWithAReasonNamingIt() throws Exception {
        Path path = Files.createFile(dir.resolve("halt"));
        Halt on = new FileKillSwitch(path).check();
        assertEquals(new Halt("killswitch.file", "file " + path + " exists"), on);
    }

    @Test
    void aChangedReasonIsReadAgainEvenWithinOneTimestamp() throws Exception {
        Path path = dir.resolve("halt");
        FileTime mtime = FileTime.fromMillis(1_700_000_000_000L);
        Files.writeString(path, "runaway loop");
        Files.setLastModifiedTime(path, mtime);
        FileKillSwitch halt = new FileKillSwitch(path);
        assertEquals("runaway loop (file " + path + ")", halt.check().reason());

        Files.writeString(path, "runaway loop, bob on it"); // another size, the same timestamp
        Files.setLastModifiedTime(path, mtime);
        assertEquals("runaway loop, bob on it (file " + path + ")", halt.check().reason());

        Files.writeString(path, "retry storm, carol on it"); // the same size, a newer timestamp
        Files.setLastModifiedTime(path, FileTime.fromMillis(mtime.toMillis() + 1));
        assertEquals("retry storm, carol on it (file " + path + ")", halt.check().reason());
    }

    @Test
    void theContentIsReadOnlyWhenTheFileChangesNotOnEveryCheck() throws Exception {
        Path path = dir.resolve("halt");
        FileTime mtime = FileTime.fromMillis(1_700_000_000_000L);
        Files.writeString(path, "AAAA");
        Files.setLastModifiedTime(path, mtime);
        FileKillSwitch halt = new FileKillSwitch(path);
        assertEquals("AAAA (file " + path + ")", halt.check().reason());

        // rewritten in place behind the switch's back: same inode, size and timestamp, so nothing tells it to read
        Files.writeString(path, "BBBB");
        Files.setLastModifiedTime(path, mtime);
        assertEquals("AAAA (file " + path + ")", halt.check().reason(), "not re-read: only a stat per check");
        Files.setLastModifiedTime(path, FileTime.fromMillis(mtime.toMillis() + 1));
        assertEquals("BBBB (file " + path + ")", halt.check().reason());
    }

    @Test
    void aLongFirstLineIsCutAndControlCharactersBecomeSpaces() throws Exception {
        Path path = dir.resolve("halt");
        Files.write(path, ("\uFEFFtab\there " + "x".repeat(500) + "\r\nnext").getBytes(StandardCharsets.UTF_8));
        String reason = new FileKillSwitch(path).check().reason();
        assertEquals("tab here " + "x".repeat(191) + "… (file " + path + ")", reason);
    }

    @Test
    void aDirectoryAtThePathHaltsWithoutBeingRead() throws Exception {
        Path path = Files.createDirectory(dir.resolve("halt"));
        Halt on = new FileKillSwitch(path).check();
        assertEquals(new Halt("killswitch.file", "file " + path + " exists (not a regular file, not read)"), on);
    }

    @Test
    void aFileThatExistsButCannotBeReadStillHaltsWithAGenericReason() throws Exception {
        // /proc/self/mem is a regular file whose first bytes (address 0) fail to read with EIO, even for root
        Path mem = Path.of("/proc/self/mem");
        assumeTrue(Files.isRegularFile(mem), "needs Linux's /proc");
        Halt on = new FileKillSwitch(mem).check();
        assertEquals(new Halt("killswitch.file", "file " + mem + " exists (its first line cannot be read: IOException)"), on);
    }

    @Test
    void aFileUnreadableForItsPermissionsStillHalts() throws Exception {
        Path path = dir.resolve("halt");
        Files.writeString(path, "secret reason");
        assumeTrue(path.toFile().setReadable(false, false) && !Files.isReadable(path), "root reads any file");
        Halt on = new FileKillSwitch(path).check();
        assertEquals(new Halt("killswitch.file", "file " + path + " exists (its first line cannot be read: FileNotFoundException)"), on);
    }

    @Test
    void everyThreadsNextCheckAfterTheFileAppearsHalts() throws Exception {
        Path path = dir.resolve("halt");
        FileKillSwitch halt = new FileKillSwitch(path);
        int threads = 8;
        CyclicBarrier checked = new CyclicBarrier(threads + 1);
        CyclicBarrier created = new CyclicBarrier(threads + 1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicInteger halted = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    assertNull(halt.check());
                    checked.await(10, TimeUnit.SECONDS);
                    created.await(10, TimeUnit.SECONDS);
                    if (halt.check() != null) {
                        halted.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            });
            thread.start();
            started.add(thread);
        }
        checked.await(10, TimeUnit.SECONDS);
        Files.writeString(path, "stop");
        created.await(10, TimeUnit.SECONDS);
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(threads, halted.get(), "each thread's first check after the file exists halts");
    }
}
