package dev.llmbudget.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CountCacheTest {
    private static final String LONG = "x ".repeat(128);

    @Test
    void aCachedTextIsFoundByContentNotByIdentity() {
        CountCache cache = new CountCache(10_000);
        cache.put(LONG, 42);
        assertEquals(42, cache.get(new String(LONG.toCharArray())));
        assertEquals(-1, cache.get(LONG + "y"), "a different text is a miss, never a near match");
    }

    @Test
    void theEmptyTextIsNotCached() {
        CountCache cache = new CountCache(10_000);
        cache.put("", 0);
        assertEquals(-1, cache.get(""));
    }

    @Test
    void whenFullItStartsOverInsteadOfGrowing() {
        CountCache cache = new CountCache(3L * (LONG.length() + CountCache.ENTRY_OVERHEAD_CHARS));
        String a = LONG + "a";
        String b = LONG + "b";
        String c = LONG + "c";
        cache.put(a, 1);
        cache.put(b, 2);
        assertEquals(1, cache.get(a));
        cache.put(c, 3); // over the bound: the old entries go
        assertEquals(-1, cache.get(a));
        assertEquals(-1, cache.get(b));
        assertEquals(3, cache.get(c));
    }

    @Test
    void theCounterGivesTheSameExactCountFromTheCacheAsByTokenizing() {
        TokenCounter counter = new TokenCounter();
        String history = "The budget agent reserves the worst case before every call. ".repeat(40);
        TokenCounter.Count first = counter.count("gpt-4o", Prompt.ofText(history));
        TokenCounter.Count again = counter.count("gpt-4o", Prompt.ofText(new String(history.toCharArray())));
        assertEquals(first, again);
        assertEquals(TokenCounter.Method.EXACT_O200K, again.method());
        assertEquals(new TokenCounter().count("gpt-4o", Prompt.ofText(history)), again, "a fresh counter agrees");
    }
}
