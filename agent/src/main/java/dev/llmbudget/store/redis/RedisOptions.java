package dev.llmbudget.store.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * How the agent reaches a shared Redis store and what it does when Redis does not answer.
 *
 * <p>Holds no Jedis type, so the configuration can build and check it without loading the Redis client;
 * only {@link RedisStore} does.
 *
 * @param url {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for TLS (port 6379 if omitted)
 * @param keyPrefix prepended to every key the store writes, so several applications or environments can share
 *     one Redis; default {@value #DEFAULT_KEY_PREFIX}
 * @param timeout the longest a call waits on Redis for each of: connecting, an answer, a free pooled connection. A
 *     call that finds Redis out of reach is answered by {@code onUnavailable} after about this long (at worst about
 *     twice, if it first waited for a free connection), and the calls after it at once until Redis answers again
 * @param onUnavailable what a reservation gets while Redis is out of reach
 * @param localSliceMicros with {@link OnUnavailable#LOCAL}: the most each account (each window of each budget) may
 *     spend from this JVM's local store while Redis is out of reach, over all outages of that window together
 * @param reservationTimeout a reservation its caller has not settled or released by then (its JVM died, say) is
 *     charged in full by the next reservation; must be longer than the longest call, streaming included
 * @param killSwitchKey a Redis key (taken as is, not prefixed) whose existence halts every call, its value being
 *     the reason; null for no kill switch
 */
public record RedisOptions(String url, String keyPrefix, Duration timeout, OnUnavailable onUnavailable,
        long localSliceMicros, Duration reservationTimeout, String killSwitchKey) {

    public static final String DEFAULT_KEY_PREFIX = "llm-budget:";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    public static final long DEFAULT_LOCAL_SLICE_MICROS = 1_000_000;
    /** As {@code store.reservation-timeout} defaults: above the SDKs' 10-minute request timeout. */
    public static final Duration DEFAULT_RESERVATION_TIMEOUT = Duration.ofMinutes(15);
    public static final int DEFAULT_PORT = 6379;

    /** What a reservation gets while Redis is out of reach. */
    public enum OnUnavailable {
        /** {@link dev.llmbudget.store.ReserveResult.Unavailable}: the call does not go out. */
        REFUSE,
        /** Reserved in the local store within {@code localSliceMicros} per account, reconciled into Redis later. */
        LOCAL
    }

    public RedisOptions {
        Objects.requireNonNull(url, "url");
        parse(url);
        keyPrefix = keyPrefix == null ? DEFAULT_KEY_PREFIX : keyPrefix;
        if (keyPrefix.indexOf('\n') >= 0) {
            // the scripts keep a reservation's account keys joined by newlines
            throw new IllegalArgumentException("the Redis key prefix must not contain a line break");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the Redis timeout must be positive, got " + timeout);
        }
        Objects.requireNonNull(onUnavailable, "onUnavailable");
        if (localSliceMicros < 0) {
            throw new IllegalArgumentException("the local slice must not be negative, got " + localSliceMicros);
        }
        Objects.requireNonNull(reservationTimeout, "reservationTimeout");
        if (reservationTimeout.toMillis() <= 0) {
            throw new IllegalArgumentException("the reservation timeout must be positive, got " + reservationTimeout);
        }
        if (killSwitchKey != null && killSwitchKey.isEmpty()) {
            killSwitchKey = null;
        }
    }

    /** The defaults: prefix {@value #DEFAULT_KEY_PREFIX}, timeout 500 ms, refuse when out of reach, $1 slice, 15 min reservations, no kill switch. */
    public static RedisOptions of(String url) {
        return new RedisOptions(url, DEFAULT_KEY_PREFIX, DEFAULT_TIMEOUT, OnUnavailable.REFUSE,
                DEFAULT_LOCAL_SLICE_MICROS, DEFAULT_RESERVATION_TIMEOUT, null);
    }

    public RedisOptions withUrl(String value) {
        return new RedisOptions(value, keyPrefix, timeout, onUnavailable, localSliceMicros, reservationTimeout, killSwitchKey);
    }

    public RedisOptions withKeyPrefix(String prefix) {
        return new RedisOptions(url, prefix, timeout, onUnavailable, localSliceMicros, reservationTimeout, killSwitchKey);
    }

    public RedisOptions withTimeout(Duration value) {
        return new RedisOptions(url, keyPrefix, value, onUnavailable, localSliceMicros, reservationTimeout, killSwitchKey);
    }

    public RedisOptions withOnUnavailable(OnUnavailable value) {
        return new RedisOptions(url, keyPrefix, timeout, value, localSliceMicros, reservationTimeout, killSwitchKey);
    }

    public RedisOptions withLocalSliceMicros(long value) {
        return new RedisOptions(url, keyPrefix, timeout, onUnavailable, value, reservationTimeout, killSwitchKey);
    }

    public RedisOptions withReservationTimeout(Duration value) {
        return new RedisOptions(url, keyPrefix, timeout, onUnavailable, localSliceMicros, value, killSwitchKey);
    }

    public RedisOptions withKillSwitchKey(String value) {
        return new RedisOptions(url, keyPrefix, timeout, onUnavailable, localSliceMicros, reservationTimeout, value);
    }

    /** {@code host:port} of the server, for messages. */
    public String hostAndPort() {
        URI uri = parse(url);
        return uri.getHost() + ":" + port(uri);
    }

    /** {@code host:port/db} (plus {@code tls} for {@code rediss://}): where the store is, never its credentials. */
    public String location() {
        URI uri = parse(url);
        String path = uri.getPath();
        String db = path == null || path.length() <= 1 ? "0" : path.substring(1);
        return hostAndPort() + "/" + db + ("rediss".equals(uri.getScheme()) ? " tls" : "");
    }

    /** Never prints the URL's password. */
    @Override
    public String toString() {
        return "RedisOptions[" + location() + ", keyPrefix=" + keyPrefix + ", timeout=" + timeout + ", onUnavailable="
                + onUnavailable + ", localSliceMicros=" + localSliceMicros + ", reservationTimeout=" + reservationTimeout
                + ", killSwitchKey=" + killSwitchKey + "]";
    }

    static int port(URI uri) {
        return uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    }

    /** Checks the URL's shape; the messages never repeat the URL, which may hold a password. */
    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the Redis URL is not a valid URL (at index " + e.getIndex() + ")");
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("the Redis URL must start with redis:// or rediss://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("the Redis URL names no host (redis://host:port)");
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                if (Integer.parseInt(path.substring(1)) < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the Redis URL's path must be a database number (redis://host:port/0)");
            }
        }
        return uri;
    }
}
