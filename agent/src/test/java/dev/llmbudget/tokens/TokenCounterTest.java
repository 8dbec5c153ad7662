package dev.llmbudget.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmbudget.tokens.TokenCounter.Count;
import dev.llmbudget.tokens.TokenCounter.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenCounterTest {
    private static final String PARAGRAPH = "The quick brown fox jumps over the lazy dog. "
            + "Budgets are enforced before a request leaves the JVM, so a runaway agent loop cannot overspend.";

    private final TokenCounter counter = new TokenCounter();

    @Test
    void countsAKnownStringExactlyWithO200k() {
        Count count = counter.count("gpt-4o", Prompt.ofText("Hello, world!"));
        assertEquals(Method.EXACT_O200K, count.method());
        assertEquals(4, count.tokens()); // "Hello" "," " world" "!"
    }

    @Test
    void countsProseAtAPlausibleRate() {
        Count count = counter.count("gpt-4o-mini", Prompt.ofText(PARAGRAPH));
        int words = PARAGRAPH.split("\\s+").length;
        assertEquals(Method.EXACT_O200K, count.method());
        assertTrue(count.tokens() >= words && count.tokens() <= 2L * words,
                words + " words counted as " + count.tokens() + " tokens");
        assertTrue(count.tokens() < PARAGRAPH.length() / 2, "a BPE count is well under one token per character");
    }

    @Test
    void cl100kModelsUseTheirOwnEncoding() {
        Count count = counter.count("gpt-4", Prompt.ofText("Hello, world!"));
        assertEquals(Method.EXACT_CL100K, count.method());
        assertEquals(4, count.tokens());
    }

    @Test
    void addsTheChatMessageAndReplyOverhead() {
        List<String> texts = List.of("You are a terse assistant.", "Say hello.");
        long plain = counter.count("gpt-4o", new Prompt(texts, 0, 0, 0)).tokens();
        long asTwoMessages = counter.count("gpt-4o", new Prompt(texts, 2, 0, 0)).tokens();
        assertEquals(plain + 2 * TokenCounter.TOKENS_PER_MESSAGE + TokenCounter.TOKENS_PER_REPLY, asTwoMessages);
        assertEquals(9, asTwoMessages - plain);
    }

    @Test
    void textsAreCountedSeparatelyAndSummed() {
        long a = counter.count("gpt-4o", Prompt.ofText("first part")).tokens();
        long b = counter.count("gpt-4o", Prompt.ofText("second part")).tokens();
        assertEquals(a + b, counter.count("gpt-4o", new Prompt(List.of("first part", "second part"), 0, 0, 0)).tokens());
    }

    @Test
    void unknownTokenizersUseTheUtf8ByteLength() {
        String text = "Grüße aus Köln, 日本語のテキスト, emoji 😀🚀 and plain ASCII.";
        Count count = counter.count("claude-sonnet-4-20250514", Prompt.ofText(text));
        assertEquals(Method.BYTE_BOUND, count.method());
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, count.tokens());
    }

    @Test
    void theByteBoundIsNeverBelowTheRealCount() {
        String[] samples = {PARAGRAPH, "Grüße aus Köln", "日本語のテキストを数える", "😀😀😀 🚀🚀", "a", "    indented\n\tcode();",
                "{\"json\": [1, 2, 3], \"nested\": {\"k\": \"v\"}}"};
        for (String sample : samples) {
            long exact = counter.count("gpt-4o", Prompt.ofText(sample)).tokens();
            long bound = counter.count("mistral-large", Prompt.ofText(sample)).tokens();
            assertTrue(bound >= exact, () -> "byte bound " + bound + " < exact " + exact + " for: " + sample);
        }
    }

    @Test
    void byteBoundAlsoAddsMessageOverhead() {
        Count count = counter.count("llama-3.1-70b", new Prompt(List.of("abc"), 1, 0, 0));
        assertEquals(3 + TokenCounter.TOKENS_PER_MESSAGE + TokenCounter.TOKENS_PER_REPLY, count.tokens());
    }

    @Test
    void imagesAddTheirFixedCost() {
        long without = counter.count("gpt-4o", new Prompt(List.of("What is in this picture?"), 1, 0, 0)).tokens();
        long withTwo = counter.count("gpt-4o", new Prompt(List.of("What is in this picture?"), 1, 2, 0)).tokens();
        assertEquals(2L * TokenCounter.TOKENS_PER_IMAGE, withTwo - without);
        assertTrue(TokenCounter.TOKENS_PER_IMAGE > 1_105, "must exceed one high-detail gpt-4o image");
        assertEquals(TokenCounter.TOKENS_PER_IMAGE, counter.count("unknown-vision", new Prompt(List.of(), 0, 1, 0)).tokens());
    }

    @Test
    void preTokenizedInputCountsOneEach() {
        assertEquals(5, counter.count("text-embedding-3-small", new Prompt(List.of(), 0, 0, 5)).tokens());
        assertEquals(5, counter.count("some-unknown-model", new Prompt(List.of(), 0, 0, 5)).tokens());
    }

    @Test
    void emptyPromptsAndNullModelsCountZero() {
        assertEquals(0, counter.count("gpt-4o", Prompt.ofText("")).tokens());
        Count nullModel = counter.count(null, Prompt.ofText("abcd"));
        assertEquals(Method.BYTE_BOUND, nullModel.method());
        assertEquals(4, nullModel.tokens());
    }

    @ParameterizedTest
    @CsvSource({
            "gpt-4o, EXACT_O200K",
            "gpt-4o-mini-2024-07-18, EXACT_O200K",
            "openai/gpt-4o, EXACT_O200K",
            "chatgpt-4o-latest, EXACT_O200K",
            "gpt-4.1-nano, EXACT_O200K",
            "gpt-5, EXACT_O200K",
            "o1, EXACT_O200K",
            "o3-mini, EXACT_O200K",
            "o4-mini, EXACT_O200K",
            "GPT-4O, EXACT_O200K",
            "gpt-4, EXACT_CL100K",
            "gpt-4-turbo, EXACT_CL100K",
            "gpt-3.5-turbo, EXACT_CL100K",
            "text-embedding-3-small, EXACT_CL100K",
            "claude-sonnet-4, BYTE_BOUND",
            "gemini-2.5-pro, BYTE_BOUND",
            "omni-moderation-latest, BYTE_BOUND",
            "o, BYTE_BOUND",
    })
    void choosesTheEncodingByModel(String model, Method expected) {
        assertEquals(expected, TokenCounter.methodFor(model));
    }

    @Test
    void utf8LengthCountsSurrogatePairsAsFourBytes() {
        String text = "aé日😀";
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Prompt.ofText(text).utf8Bytes());
        assertEquals(1 + 2 + 3 + 4, Prompt.utf8Length(text));
        // a lone surrogate is encoded as 3 bytes (a replacement), never under-counted
        assertEquals(3, Prompt.utf8Length("\uD83D"));
    }

    // ---- the bound on exact counting ----

    private static final int MESSAGE_AND_REPLY = TokenCounter.TOKENS_PER_MESSAGE + TokenCounter.TOKENS_PER_REPLY;

    /** A counter that always tokenizes, to compare the fallback against the real count. */
    private static final TokenCounter UNBOUNDED = new TokenCounter(Long.MAX_VALUE, Long.MAX_VALUE);

    private static String randomWord(int length, String alphabet, long seed) {
        Random random = new Random(seed);
        StringBuilder word = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            word.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return word.toString();
    }

    private static String base64Word(int length) {
        return randomWord(length, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", length);
    }

    /** English-ish prose of about {@code words} words, in lines of 17 words. */
    private static String prose(int words) {
        String[] vocabulary = {"the", "budget", "agent", "refuses", "calls", "before", "they", "leave", "JVM,",
                "worst-case", "cost", "is", "reserved", "against", "every", "limit", "and", "settled", "afterwards.",
                "Prices", "are", "per", "million", "tokens;", "a", "runaway", "loop", "stops", "here.", "(2026)"};
        Random random = new Random(42);
        StringBuilder text = new StringBuilder(words * 7);
        for (int i = 0; i < words; i++) {
            text.append(vocabulary[random.nextInt(vocabulary.length)]).append(i % 17 == 16 ? '\n' : ' ');
        }
        return text.toString();
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aHugeSingleWordIsBoundedByItsByteLengthAndTheOtherTextsStayExact() {
        String word = base64Word(200_000) + "é日😀"; // 200 KB of one "word", not all of it ASCII
        Prompt prompt = new Prompt(List.of("Decode this:", word), 2, 1, 0);

        for (String model : List.of("gpt-4o", "gpt-4")) {
            Count count = counter.count(model, prompt); // returns promptly; no timing asserted
            assertEquals(Method.BYTE_BOUND_LONG_WORD, count.method(), model);
            long exactInstruction = counter.count(model, Prompt.ofText("Decode this:")).tokens();
            assertEquals(exactInstruction + utf8(word) + 2 * TokenCounter.TOKENS_PER_MESSAGE
                    + TokenCounter.TOKENS_PER_REPLY + TokenCounter.TOKENS_PER_IMAGE, count.tokens(), model);
        }
    }

    @Test
    void aPromptOverTheCharacterLimitIsBoundedByItsByteLength() {
        String half = prose(160_000); // about a million characters each, two million in all
        assertTrue(2L * half.length() > TokenCounter.DEFAULT_MAX_CHARS, "sample too short: " + half.length());
        Prompt prompt = new Prompt(List.of(half, half), 1, 0, 0);

        Count count = counter.count("gpt-4o", prompt);

        assertEquals(Method.BYTE_BOUND_LARGE_INPUT, count.method());
        assertEquals(2 * utf8(half) + MESSAGE_AND_REPLY, count.tokens());
        assertEquals(Method.EXACT_O200K, counter.count("gpt-4o", new Prompt(List.of(half), 1, 0, 0)).method(),
                "one of the halves alone is under the limit");
    }

    @Test
    void theLimitsAreExclusiveAndConfigurable() {
        TokenCounter small = new TokenCounter(100, 10);
        String tenLetters = "abcdefghij";
        assertEquals(Method.EXACT_O200K, small.count("gpt-4o", Prompt.ofText(tenLetters)).method());
        assertEquals(Method.BYTE_BOUND_LONG_WORD, small.count("gpt-4o", Prompt.ofText(tenLetters + "k")).method());
        assertEquals(Method.EXACT_CL100K, small.count("gpt-4", Prompt.ofText(tenLetters + " " + tenLetters)).method());
        assertEquals(Method.BYTE_BOUND_LONG_WORD, small.count("gpt-4", Prompt.ofText("x".repeat(60) + " y")).method());
        String hundred = (tenLetters.substring(0, 9) + " ").repeat(10);
        assertEquals(100, hundred.length());
        assertEquals(Method.EXACT_O200K, small.count("gpt-4o", Prompt.ofText(hundred)).method());
        assertEquals(Method.BYTE_BOUND_LARGE_INPUT, small.count("gpt-4o", new Prompt(List.of(hundred, "!"), 0, 0, 0)).method());
    }

    @Test
    void aRunEndsWhereWhitespaceStartsOrStopsAndAtTheEndOfTheText() {
        assertFalse(TokenCounter.hasRunLongerThan("abcde fghij\tklmno\npqrst\u2003uvwxy", 5));
        assertTrue(TokenCounter.hasRunLongerThan("abcde fghijk", 5));
        assertFalse(TokenCounter.hasRunLongerThan("abcde", 5));
        // a no-break space is not whitespace to Character.isWhitespace: it joins the run
        assertTrue(TokenCounter.hasRunLongerThan("abc\u00A0def", 5));
        assertFalse(TokenCounter.hasRunLongerThan("", 5));
    }

    @Test
    void aLongRunOfWhitespaceIsBoundedToo() {
        // BPE takes a run of whitespace as one piece, as slow to count as one long word
        assertTrue(TokenCounter.hasRunLongerThan("a" + " ".repeat(6) + "b", 5));
        assertTrue(TokenCounter.hasRunLongerThan("\n\n\t   ", 5));
        assertFalse(TokenCounter.hasRunLongerThan("a     b     c", 5));
        String spaces = " ".repeat(200_000);
        Count count = counter.count("gpt-4o", Prompt.ofText(spaces));
        assertEquals(Method.BYTE_BOUND_LONG_WORD, count.method());
        assertEquals(200_000, count.tokens());
    }

    @Test
    void aNormalHundredThousandTokenPromptIsStillCountedExactly() {
        String text = prose(82_000);
        Prompt prompt = new Prompt(List.of(text), 1, 0, 0);

        Count count = counter.count("gpt-4o", prompt);

        assertEquals(Method.EXACT_O200K, count.method());
        long expected = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE).countTokensOrdinary(text);
        assertEquals(expected + MESSAGE_AND_REPLY, count.tokens());
        assertTrue(count.tokens() >= 90_000 && count.tokens() <= 110_000, "about 100k tokens: " + count.tokens());
    }

    @Test
    void theFallbackIsNeverBelowTheExactCount() {
        String[] samples = {
                base64Word(20_000),
                "x".repeat(20_000),
                randomWord(20_000, "abcdefghijklmnopqrstuvwxyz", 7),
                "日本語のテキストを数える".repeat(2_000),
                "😀🚀".repeat(5_000),
                "{\"k\":[1,2,3],\"nested\":{\"v\":\"Grüße\"}}".repeat(1_000),
                "https://example.com/" + "a1b2c3/".repeat(3_000),
                base64Word(200_000),
        };
        for (String model : List.of("gpt-4o", "gpt-4")) {
            for (String sample : samples) {
                Prompt prompt = new Prompt(List.of("Look at this:", sample), 1, 0, 0);
                Count bound = counter.count(model, prompt);
                long exact = UNBOUNDED.count(model, prompt).tokens();
                assertEquals(Method.BYTE_BOUND_LONG_WORD, bound.method());
                assertTrue(bound.tokens() >= exact, () -> model + ": bound " + bound.tokens() + " < exact " + exact
                        + " for a sample starting " + sample.substring(0, 20));
            }
        }
        String text = prose(1_000);
        Count exact = counter.count("gpt-4o", Prompt.ofText(text));
        Count large = new TokenCounter(10, TokenCounter.DEFAULT_MAX_WORD_CHARS).count("gpt-4o", Prompt.ofText(text));
        assertEquals(Method.BYTE_BOUND_LARGE_INPUT, large.method());
        assertTrue(large.tokens() >= exact.tokens());
    }

    @Test
    void modelsWithoutATokenizerKeepTheirByteBound() {
        String word = base64Word(200_000);
        Count count = counter.count("claude-sonnet-4", new Prompt(List.of(word), 1, 0, 0));
        assertEquals(Method.BYTE_BOUND, count.method());
        assertEquals(utf8(word) + MESSAGE_AND_REPLY, count.tokens());
        assertEquals(Method.BYTE_BOUND, new TokenCounter(1, 1).count("mistral-large", Prompt.ofText("a b")).method());
    }

    @Test
    void limitsMustBeGreaterThanZero() {
        assertThrows(IllegalArgumentException.class, () -> new TokenCounter(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new TokenCounter(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenCounter(-1, 10));
    }
}
