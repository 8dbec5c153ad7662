package dev.llmbudget.tokens;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token counts of texts seen recently, per encoding. An agent loop sends its whole conversation again
 * on every call, so all but the newest turn were counted before; looking a text up costs a hash and a
 * comparison, far less than tokenizing it again. Keyed by the text itself, so a hit is always exact.
 * Bounded by the characters it holds: when full it starts over, which keeps it cheap and lock-free.
 */
final class CountCache {
    /** Shorter texts are counted faster than they are looked up and held. */
    static final int MIN_CHARS = 256;

    private final long maxChars;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final AtomicLong heldChars = new AtomicLong();

    CountCache(long maxChars) {
        this.maxChars = maxChars;
    }

    /** The cached count, or -1. */
    int get(String text) {
        if (text.length() < MIN_CHARS) {
            return -1;
        }
        Integer count = counts.get(text);
        return count == null ? -1 : count;
    }

    void put(String text, int count) {
        if (text.length() < MIN_CHARS || text.length() > maxChars) {
            return;
        }
        if (heldChars.addAndGet(text.length()) > maxChars) {
            counts.clear();
            heldChars.set(text.length());
        }
        counts.put(text, count);
    }
}
