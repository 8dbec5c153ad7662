package dev.llmbudget.store.redis;

import java.util.NoSuchElementException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Sorts what Jedis throws into "Redis is out of reach" (the configured policy answers, and the store backs
 * off) and everything else (a bug or a Redis that holds something unexpected under our keys: an error).
 */
final class RedisFailures {
    private static final int MAX_CAUSE_LENGTH = 120;

    private RedisFailures() {
    }

    /**
     * True for a failure that means Redis cannot serve us now: no connection, no answer in time, refused
     * credentials, or a server that is loading, read-only (a replica after a failover), busy with a script or
     * refusing writes. Its next answer may well be different.
     */
    static boolean unreachable(RuntimeException e) {
        if (e instanceof JedisConnectionException || e instanceof JedisAccessControlException
                || e instanceof JedisBusyException) {
            return true;
        }
        if (e instanceof JedisDataException) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            return message.startsWith("LOADING") || message.startsWith("READONLY") || message.startsWith("MASTERDOWN")
                    || message.startsWith("MISCONF") || message.startsWith("TRYAGAIN")
                    || message.startsWith("CLUSTERDOWN") || message.startsWith("NOREPLICAS");
        }
        return e instanceof JedisException;
    }

    /** True when every pooled connection was in use for the whole timeout: this JVM is busy, Redis may be fine. */
    static boolean poolExhausted(RuntimeException e) {
        return e instanceof JedisException && !(e instanceof JedisConnectionException)
                && e.getCause() instanceof NoSuchElementException;
    }

    /** The innermost message, short, on one line, for log lines and refusal reasons (Jedis messages carry no password). */
    static String shortCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getMessage();
        }
        String text = message == null || message.isBlank() ? root.getClass().getSimpleName()
                : message.strip().replaceAll("\\s+", " ");
        return text.length() > MAX_CAUSE_LENGTH ? text.substring(0, MAX_CAUSE_LENGTH) + "..." : text;
    }
}
