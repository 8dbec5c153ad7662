package dev.llmbudget.agent;

import dev.llmbudget.log.AgentLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;

/**
 * Watches the configuration file ({@code config.reload}) by polling: a {@code WatchService} misses the edits
 * that matter most in production, a Kubernetes ConfigMap swapping a symlink or a file on a network mount. A
 * change is its content changing (a {@code touch} alone reloads nothing); an edit still being written (the
 * file changed again within a moment) is read once it has settled.
 */
final class ConfigWatcher implements Runnable {
    private static final long SETTLE_MILLIS = 200;

    private final Path file;
    private final Duration interval;
    private final Runnable onChange;
    private volatile boolean stopped;
    private Stamp seen;
    private byte[] content;
    private boolean missingLogged;

    ConfigWatcher(Path file, Duration interval, Runnable onChange) {
        this.file = file;
        this.interval = interval;
        this.onChange = onChange;
        this.seen = stamp();
        this.content = read();
    }

    /** Starts polling on a daemon thread. */
    ConfigWatcher start() {
        Thread thread = new Thread(this, "llm-budget-agent-config-watch");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                Thread.sleep(Math.max(50, interval.toMillis()));
                checkOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error error) {
                // the watcher must outlive anything a reload throws; the running configuration stays
                AgentLog.once("config-watch", AgentLog.Level.ERROR, "watching " + file + " failed; edits may not be applied", error);
            }
        }
    }

    /** Applies the file if its content changed since the last look; true when it did. */
    boolean checkOnce() throws InterruptedException {
        Stamp now = stamp();
        if (now == null) {
            if (!missingLogged) {
                missingLogged = true;
                AgentLog.warn("the configuration file " + file + " is gone; the running configuration stays in force");
            }
            seen = null;
            return false;
        }
        missingLogged = false;
        if (now.equals(seen)) {
            return false;
        }
        Thread.sleep(SETTLE_MILLIS);
        Stamp settled = stamp();
        if (!now.equals(settled)) {
            return false; // still being written: the next look reads it
        }
        seen = settled;
        byte[] next = read();
        if (next == null || Arrays.equals(next, content)) {
            return false;
        }
        content = next;
        onChange.run();
        return true;
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** What a cheap look at the file tells apart; its content decides. */
    private record Stamp(long modifiedMillis, long size, Object fileKey) {
    }
}
