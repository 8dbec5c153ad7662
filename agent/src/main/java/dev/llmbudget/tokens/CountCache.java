package dev.llmbudget.tokens;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token counts of texts seen recently, per encoding. An agent loop sends its whole conversation again
 * on every call, so all but the newest turn were counted before; looking a text up costs a hash and a
 * comparison, far less than tokenizing it again. Keyed by the text itself, so a hit is always exact.
 * Bounded by the characters it holds (plus a fixed cost per entry): when full it starts over, which
 * keeps it cheap and lock-free.
 */
final class CountCache {
    /**
     * Every text but the empty one is worth caching: even a role name or a short system prompt costs
     * a tokenizer pass (about a microsecond), a lookup tens of nanoseconds.
     */
    static final int MIN_CHARS = 1;
    /** What an entry costs beyond its characters (map node, key object, boxed count), counted against the bound. */
    static final int ENTRY_OVERHEAD_CHARS = 64;

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
        long cost = (long) text.length() + ENTRY_OVERHEAD_CHARS;
        if (heldChars.addAndGet(cost) > maxChars) {
            counts.clear();
            heldChars.set(cost);
        }
        counts.put(text, count);
    }
}
