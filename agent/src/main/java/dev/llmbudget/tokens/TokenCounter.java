package dev.llmbudget.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the input tokens of a {@link Prompt} for a model.
 *
 * <ul>
 *   <li>OpenAI models: exact, with jtokkit and the model's encoding ({@code o200k_base} for
 *       gpt-4o, gpt-4.1, gpt-4.5, gpt-5 and the o-series; {@code cl100k_base} for gpt-4, gpt-3.5 and
 *       the embedding models), plus the overhead OpenAI bills per chat message (3 tokens) and per
 *       reply (3 tokens).</li>
 *   <li>Other models, whose tokenizer the agent does not carry: the UTF-8 byte length of the text.
 *       Byte-level BPE and SentencePiece tokens are never shorter than one byte, so this is a hard
 *       upper bound: it over-reserves, it never under-reserves.</li>
 *   <li>Images: {@value #TOKENS_PER_IMAGE} tokens each, above what one high-detail image costs on
 *       gpt-4o (765 to 1,105 tokens).</li>
 * </ul>
 *
 * <p>Pathological input must not make the check before a call slow: BPE on one huge "word" (a long
 * run without whitespace, e.g. base64 or minified data) costs far more per character than prose, and
 * any prompt costs time in proportion to its size. So an OpenAI-model prompt with more than
 * {@code maxChars} characters in all is not tokenized: it is bounded by its UTF-8 byte length like
 * other models' ({@link Method#BYTE_BOUND_LARGE_INPUT}); a text holding a run of more than
 * {@code maxWordChars} characters that BPE would take as one piece (all non-whitespace, or all
 * whitespace) is bounded the same way, the other texts stay exact ({@link Method#BYTE_BOUND_LONG_WORD}).
 * The overheads for messages, the reply and images apply either way.
 *
 * Counts of texts are cached (an agent loop resends
 * its conversation on every call), so only new text is tokenized.
 *
 * Encodings are loaded lazily, on the first call that needs one, to keep them off the JVM's start path.
 */
public final class TokenCounter {
    public static final int TOKENS_PER_MESSAGE = 3;
    public static final int TOKENS_PER_REPLY = 3;
    public static final int TOKENS_PER_IMAGE = 1_600;

    /** The default of {@code tokens.exact-count.max-chars}. */
    public static final long DEFAULT_MAX_CHARS = 2_000_000;
    /** The default of {@code tokens.exact-count.max-word-chars}. */
    public static final long DEFAULT_MAX_WORD_CHARS = 2_000;

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    private final Map<String, Method> methodByModel = new ConcurrentHashMap<>();
    private final long maxChars;
    private final long maxWordChars;
    /** About a megabyte of text per encoding: a few long conversations' history. */
    private final CountCache o200kCache = new CountCache(1_000_000);
    private final CountCache cl100kCache = new CountCache(1_000_000);

    /** How the count was made, for the ledger. */
    public enum Method {
        /** Exact, with the {@code o200k_base} encoding. */
        EXACT_O200K,
        /** Exact, with the {@code cl100k_base} encoding. */
        EXACT_CL100K,
        /** The UTF-8 byte length: a model whose tokenizer the agent does not carry. */
        BYTE_BOUND,
        /** The UTF-8 byte length: an OpenAI-model prompt longer than {@code tokens.exact-count.max-chars}. */
        BYTE_BOUND_LARGE_INPUT,
        /** Exact, except texts with a run longer than {@code tokens.exact-count.max-word-chars}, bounded by their UTF-8 byte length. */
        BYTE_BOUND_LONG_WORD
    }

    public record Count(long tokens, Method method) {
    }

    /** A counter with the default limits for exact counting. */
    public TokenCounter() {
        this(DEFAULT_MAX_CHARS, DEFAULT_MAX_WORD_CHARS);
    }

    /**
     * @param maxChars prompts with more characters than this in all are bounded by byte length, not tokenized
     * @param maxWordChars texts with a longer run of non-whitespace (or of whitespace) are bounded by byte length
     */
    public TokenCounter(long maxChars, long maxWordChars) {
        if (maxChars <= 0 || maxWordChars <= 0) {
            throw new IllegalArgumentException("limits must be greater than zero: maxChars=" + maxChars
                    + ", maxWordChars=" + maxWordChars);
        }
        this.maxChars = maxChars;
        this.maxWordChars = maxWordChars;
    }

    public Count count(String model, Prompt prompt) {
        Method method = methodByModel.computeIfAbsent(model == null ? "" : model, TokenCounter::methodFor);
        long tokens = prompt.preTokenized() + (long) prompt.images() * TOKENS_PER_IMAGE;
        if (prompt.messages() > 0) {
            tokens += (long) prompt.messages() * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY;
        }
        if (method == Method.BYTE_BOUND || totalChars(prompt.texts()) > maxChars) {
            return new Count(tokens + prompt.utf8Bytes(), method == Method.BYTE_BOUND ? method : Method.BYTE_BOUND_LARGE_INPUT);
        }
        Encoding encoding = registry.getEncoding(method == Method.EXACT_O200K ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
        CountCache cache = method == Method.EXACT_O200K ? o200kCache : cl100kCache;
        boolean bounded = false;
        for (String text : prompt.texts()) {
            int cached = cache.get(text); // a text counted before had no long run: no need to scan it again
            if (cached >= 0) {
                tokens += cached;
            } else if (hasRunLongerThan(text, maxWordChars)) {
                // only the text holding the long run is bounded: the rest of the prompt stays exact
                tokens += Prompt.utf8Length(text);
                bounded = true;
            } else {
                int count = encoding.countTokensOrdinary(text);
                cache.put(text, count);
                tokens += count;
            }
        }
        return new Count(tokens, bounded ? Method.BYTE_BOUND_LONG_WORD : method);
    }

    private static long totalChars(List<String> texts) {
        long chars = 0;
        for (String text : texts) {
            chars += text.length();
        }
        return chars;
    }

    /**
     * Whether {@code text} holds a run of more than {@code limit} characters that BPE would take as one
     * piece: all non-whitespace (a "word": base64, minified JSON, a long URL) or all whitespace
     * ({@link Character#isWhitespace(char)}). One pass, stopping at the first such run.
     */
    static boolean hasRunLongerThan(String text, long limit) {
        if (text.length() <= limit) {
            return false;
        }
        long run = 0;
        boolean runIsWhitespace = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            boolean whitespace = Character.isWhitespace(text.charAt(i));
            run = whitespace == runIsWhitespace ? run + 1 : 1;
            runIsWhitespace = whitespace;
            if (run > limit) {
                return true;
            }
        }
        return false;
    }

    static Method methodFor(String model) {
        String name = model == null ? "" : model.toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        if (name.startsWith("gpt-4o") || name.startsWith("chatgpt-4o") || name.startsWith("gpt-4.1")
                || name.startsWith("gpt-4.5") || name.startsWith("gpt-5") || name.startsWith("gpt-oss")
                || name.matches("o[1-9](-.*)?")) {
            return Method.EXACT_O200K;
        }
        if (name.startsWith("gpt-4") || name.startsWith("gpt-3.5") || name.startsWith("text-embedding-")) {
            return Method.EXACT_CL100K;
        }
        return Method.BYTE_BOUND;
    }
}
