package dev.llmbudget.store.redis;

/**
 * The names of the store's keys, all under one prefix so that several applications or environments can share
 * one Redis and an operator can find (and delete) everything the agent wrote:
 * <ul>
 * <li>{@code <prefix>a:<account key>}: an account, a hash of {@code spent}, {@code held} (micro-USD) and
 *     {@code expires} (epoch ms, 0 = never), expiring a grace period after its window ends;</li>
 * <li>{@code <prefix>r:<reservation id>}: a reservation, a hash of {@code state} ({@code held}, {@code settled},
 *     {@code released}, {@code expired} = charged in full), {@code amount} and {@code accounts} (their Redis keys,
 *     one a line); once finished it stays as a marker for a while, so a retried settle counts once;</li>
 * <li>{@code <prefix>holds}: a sorted set of the open reservations' ids by expiry (Redis server time, ms);</li>
 * <li>{@code <prefix>l:<reservation id>}: a marker that a settlement made in the local fallback store while Redis
 *     was out of reach has been added to Redis;</li>
 * <li>{@code <prefix>o:<event key>}: a one-off event claimed by one process (an alert-at threshold fired), expiring
 *     when the event may happen again.</li>
 * </ul>
 */
final class RedisKeys {
    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    String account(String accountKey) {
        return prefix + "a:" + accountKey;
    }

    String reservation(String reservationId) {
        return prefix + "r:" + reservationId;
    }

    String applied(String reservationId) {
        return prefix + "l:" + reservationId;
    }

    String claim(String eventKey) {
        return prefix + "o:" + eventKey;
    }

    String holds() {
        return prefix + "holds";
    }

    /** A SCAN pattern that matches every account key and nothing else, whatever glob characters the prefix holds. */
    String accountPattern() {
        StringBuilder pattern = new StringBuilder(prefix.length() + 4);
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.append("a:*").toString();
    }

    /** The account key inside a Redis key from {@link #accountPattern()}. */
    String accountKeyOf(String redisKey) {
        return redisKey.substring(prefix.length() + 2);
    }
}
