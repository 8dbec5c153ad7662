package dev.llmbudget.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
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
 * Encodings are loaded lazily, on the first call that needs one, to keep them off the JVM's start path.
 */
public final class TokenCounter {
    public static final int TOKENS_PER_MESSAGE = 3;
    public static final int TOKENS_PER_REPLY = 3;
    public static final int TOKENS_PER_IMAGE = 1_600;

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    private final Map<String, Method> methodByModel = new ConcurrentHashMap<>();

    /** How the count was made, for the ledger. */
    public enum Method { EXACT_O200K, EXACT_CL100K, BYTE_BOUND }

    public record Count(long tokens, Method method) {
    }

    public Count count(String model, Prompt prompt) {
        Method method = methodByModel.computeIfAbsent(model == null ? "" : model, TokenCounter::methodFor);
        long tokens = prompt.preTokenized() + (long) prompt.images() * TOKENS_PER_IMAGE;
        if (prompt.messages() > 0) {
            tokens += (long) prompt.messages() * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY;
        }
        if (method == Method.BYTE_BOUND) {
            tokens += prompt.utf8Bytes();
        } else {
            Encoding encoding = registry.getEncoding(method == Method.EXACT_O200K ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
            for (String text : prompt.texts()) {
                tokens += encoding.countTokensOrdinary(text);
            }
        }
        return new Count(tokens, method);
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
