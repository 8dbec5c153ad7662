package dev.llmbudget.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An API key in a form safe to write down: the key's prefix, its last four characters and four hex
 * digits of its SHA-256, e.g. {@code sk-…abcd#3f9a}. Enough to tell keys apart in a ledger, never
 * enough to use one.
 */
public final class KeyFingerprint {
    private static final int CACHE_LIMIT = 256;
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private KeyFingerprint() {
    }

    /** The fingerprint of the key in an {@code Authorization: Bearer <key>} (or bare key) header value, or null. */
    public static String ofHeader(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return null;
        }
        String key = headerValue.trim();
        // "Bearer" alone (an empty key, the header trimmed) is no key, not a key named "Bearer"
        if (key.regionMatches(true, 0, "Bearer", 0, 6) && (key.length() == 6 || Character.isWhitespace(key.charAt(6)))) {
            key = key.substring(6).trim();
        }
        return key.isEmpty() ? null : of(key);
    }

    public static String of(String key) {
        String cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        String fingerprint = compute(key);
        if (CACHE.size() < CACHE_LIMIT) {
            CACHE.put(key, fingerprint);
        }
        return fingerprint;
    }

    private static String compute(String key) {
        int dash = key.indexOf('-');
        String prefix = dash > 0 && dash <= 8 ? key.substring(0, dash + 1) : "";
        String tail = key.length() >= 12 ? key.substring(key.length() - 4) : "";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return prefix + "…" + tail + "#" + String.format("%02x%02x", digest[0], digest[1]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
