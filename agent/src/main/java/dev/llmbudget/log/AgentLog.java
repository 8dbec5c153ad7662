package dev.llmbudget.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own logger: one prefixed line on stderr. The agent deliberately does not use the
 * host's logging framework (slf4j, JUL, Log4j): binding to it at premain time could initialise the
 * host's logging before the host configures it, and a shaded copy would look for its own binding.
 */
public final class AgentLog {
    public enum Level { ERROR, WARN, INFO, DEBUG }

    private static volatile Level threshold = Level.INFO;
    private static volatile PrintStream out = System.err;
    private static final Set<String> onceKeys = ConcurrentHashMap.newKeySet();

    private AgentLog() {
    }

    public static void setThreshold(Level level) {
        threshold = level;
    }

    public static boolean enabled(Level level) {
        return level.ordinal() <= threshold.ordinal();
    }

    public static void error(String message) {
        log(Level.ERROR, message, null);
    }

    public static void error(String message, Throwable error) {
        log(Level.ERROR, message, error);
    }

    public static void warn(String message) {
        log(Level.WARN, message, null);
    }

    public static void info(String message) {
        log(Level.INFO, message, null);
    }

    public static void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    /** Logs at most once per key for the life of the JVM: for errors that would repeat on every call. */
    public static void once(String key, Level level, String message, Throwable error) {
        if (onceKeys.add(key)) {
            log(level, message, error);
        }
    }

    /** A block of lines printed together, unprefixed after the first (the configuration report). */
    public static void block(Level level, String text) {
        if (enabled(level)) {
            out.println(text);
            out.flush();
        }
    }

    private static void log(Level level, String message, Throwable error) {
        if (!enabled(level)) {
            return;
        }
        PrintStream stream = out;
        stream.println("[llm-budget-agent] " + Instant.now() + " " + level + " " + message);
        if (error != null) {
            error.printStackTrace(stream);
        }
        stream.flush();
    }
}
