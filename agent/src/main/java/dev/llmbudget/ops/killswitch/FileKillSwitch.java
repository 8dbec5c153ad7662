package dev.llmbudget.ops.killswitch;

import dev.llmbudget.config.ConfigKeys;
import dev.llmbudget.core.HaltSwitch;
import dev.llmbudget.log.AgentLog;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code killswitch.file}: while the file exists, every call is halted; its first line is the reason.
 *
 * <p>Asked on every call, on every thread, so a {@code touch} halts the very next call. The usual case (no
 * file) costs one system call ({@code access}, through {@link Files#exists}, which on the default file system
 * answers a missing file without an exception): about a microsecond ({@code KillSwitchBenchmark}). While the file exists each check also reads its attributes (a {@code stat});
 * the content is read only when the file appears or its modification time, size or inode change, never on
 * every call. A FIFO or a directory at the path halts too, without being read.
 *
 * <p>{@link #check()} never throws: a file that exists but cannot be read still halts, with a reason saying
 * so. Each change of state is logged once at WARN (halted, with the reason; the reason changed; resumed),
 * not per call.
 */
public final class FileKillSwitch implements HaltSwitch {
    /** The rule a halt by this switch names. */
    public static final String RULE = ConfigKeys.KILLSWITCH_FILE.name();
    /** The longest reason taken from the file, in characters; the rest of the line is cut. */
    static final int MAX_REASON_CHARS = 200;
    /** How much of the file is read to find its first line. */
    private static final int READ_BYTES = 4096;

    /** What was seen at the path: nothing, or a file of these attributes whose content gave this halt. */
    private record Seen(FileTime modified, long size, Object fileKey, Halt halt) {
        static final Seen ABSENT = new Seen(null, -1, null, null);

        boolean sameFile(BasicFileAttributes attributes) {
            return halt != null && attributes.lastModifiedTime().equals(modified) && attributes.size() == size
                    && Objects.equals(attributes.fileKey(), fileKey);
        }
    }

    private final Path path;
    private final AtomicReference<Seen> seen = new AtomicReference<>(Seen.ABSENT);
    private volatile dev.llmbudget.core.AlertSink alerts = dev.llmbudget.core.AlertSink.NONE;

    /** Where halting and resuming are told, besides the log. */
    public void alertTo(dev.llmbudget.core.AlertSink sink) {
        alerts = sink;
    }

    /** @param path the file, absolute (the configuration loader resolves relative paths) */
    public FileKillSwitch(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /**
     * Says so at WARN (once, at wiring) when the file's folder does not exist or this JVM cannot search it: an
     * operator would find out only when the switch is needed. (A file in a folder the JVM cannot search looks
     * missing, so such a switch never halts; a missing folder is fine once created.)
     */
    void warnIfUnreachable() {
        Path folder = path.getParent();
        try {
            if (folder == null) {
                return;
            }
            if (Files.isDirectory(folder) && Files.isExecutable(folder)) {
                // also loads, here on the wiring thread, the classes the first call to meet the file uses
                BasicFileAttributes attributes = Files.readAttributes(folder, BasicFileAttributes.class);
                new Seen(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey(), new Halt(RULE, ""))
                        .sameFile(attributes);
            } else if (!Files.isDirectory(folder)) {
                AgentLog.warn("the folder of the kill switch " + RULE + "=" + path + " does not exist: create it now,"
                        + " so that the file can be created there when calls must be halted");
            } else if (!Files.isExecutable(folder)) {
                AgentLog.warn("the kill switch " + RULE + "=" + path + " cannot work: this JVM's user cannot search its"
                        + " folder " + folder + ", so it would never see the file. Allow it, or point " + RULE + " elsewhere.");
            }
        } catch (IOException | RuntimeException e) {
            AgentLog.warn("the kill switch " + RULE + "=" + path + " cannot be checked: " + e);
        }
    }

    @Override
    public Halt check() {
        try {
            if (!Files.exists(path)) {
                return absent();
            }
            return present();
        } catch (RuntimeException e) {
            // e.g. a SecurityException: no evidence of a halt, and a guard must not fail the call for it
            AgentLog.once("killswitch.file.check", AgentLog.Level.WARN, "the kill switch " + RULE + " " + path
                    + " cannot be checked: " + e + "; it is ignored until it can", null);
            return seen.get().halt();
        }
    }

    private Halt absent() {
        Seen before = seen.get();
        if (before != Seen.ABSENT && seen.compareAndSet(before, Seen.ABSENT)) {
            String message = "RESUMED: the kill switch file " + path + " (" + RULE + ") was removed; it no longer halts LLM calls";
            AgentLog.warn(message);
            alerts.raise(dev.llmbudget.core.Alert.of(dev.llmbudget.core.Alert.Kind.RESUME, java.time.Instant.now(), RULE, null, message));
        }
        return null;
    }

    private Halt present() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException removedJustNow) {
            return absent();
        } catch (IOException | RuntimeException e) {
            // it exists (Files.exists said so) but cannot be looked at: halted all the same
            return update(null, new Halt(RULE, unreadable(e)));
        }
        Seen before = seen.get();
        if (before.sameFile(attributes)) {
            return before.halt();
        }
        return update(attributes, new Halt(RULE, reason(attributes)));
    }

    private Halt update(BasicFileAttributes attributes, Halt halt) {
        Seen before = seen.get();
        Seen now = attributes == null ? new Seen(null, -1, null, halt)
                : new Seen(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey(), halt);
        // reasons compared as strings (the rule is always RULE): a record's equals is bootstrapped on first use
        if (seen.compareAndSet(before, now) && (before.halt() == null || !before.halt().reason().equals(halt.reason()))) {
            if (before.halt() == null) {
                String message = "HALTED by the kill switch file " + path + " (" + RULE + "): every LLM call is refused until"
                        + " it is removed. Reason: " + halt.reason();
                AgentLog.warn(message);
                alerts.raise(dev.llmbudget.core.Alert.of(dev.llmbudget.core.Alert.Kind.HALT, java.time.Instant.now(), RULE, null, message));
            } else {
                AgentLog.warn("kill switch file " + path + " (" + RULE + "): the reason is now: " + halt.reason());
            }
        }
        return halt;
    }

    /** The file's first line (trimmed, at most {@link #MAX_REASON_CHARS}), and which file said so. */
    private String reason(BasicFileAttributes attributes) {
        if (!attributes.isRegularFile()) {
            return "file " + path + " exists (not a regular file, not read)";
        }
        String line;
        // java.io, not Files.newInputStream: its classes are loaded long before, so the first call to meet the
        // file is not the one that loads NIO's channel classes
        try (InputStream in = new FileInputStream(path.toFile())) {
            line = firstLine(in.readNBytes(READ_BYTES));
        } catch (IOException | RuntimeException e) {
            if (!Files.exists(path)) {
                line = ""; // removed between the stat and the read: halt this call; the next check sees it gone
            } else {
                return unreadable(e);
            }
        }
        return line.isEmpty() ? "file " + path + " exists" : line + " (file " + path + ")";
    }

    private String unreadable(Exception e) {
        return "file " + path + " exists (its first line cannot be read: " + e.getClass().getSimpleName() + ")";
    }

    /** The first line of the text, trimmed, control characters as spaces, cut to {@link #MAX_REASON_CHARS}. */
    static String firstLine(byte[] bytes) {
        return firstLine(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The first line of the text, trimmed, control characters as spaces, cut to {@link #MAX_REASON_CHARS}. */
    static String firstLine(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        int end = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                end = i;
                break;
            }
        }
        StringBuilder line = new StringBuilder(Math.min(end, MAX_REASON_CHARS + 1));
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            line.append(Character.isISOControl(c) ? ' ' : c);
        }
        String trimmed = line.toString().strip();
        if (trimmed.length() > MAX_REASON_CHARS) {
            int cut = MAX_REASON_CHARS;
            if (Character.isHighSurrogate(trimmed.charAt(cut - 1))) {
                cut--;
            }
            trimmed = trimmed.substring(0, cut) + "…";
        }
        return trimmed;
    }
}
