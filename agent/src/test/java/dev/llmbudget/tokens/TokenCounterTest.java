package dev.llmbudget.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.tokens.TokenCounter.Count;
import dev.llmbudget.tokens.TokenCounter.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
}
