package dev.llmbudget.demo;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens the way gpt-4o does (o200k_base), so the simulator's usage numbers, and the
 * costs computed from them, are the ones a real endpoint would report for the same text.
 */
final class TokenCounter {

    /** OpenAI's documented chat accounting: every message costs 3 tokens of framing ... */
    static final int TOKENS_PER_MESSAGE = 3;
    /** ... and every reply is primed with 3 more. */
    static final int TOKENS_PRIMING_REPLY = 3;

    // The registry loads an encoding's ranks (a few MB) only when first asked for, once.
    private static final Encoding O200K =
            Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private TokenCounter() {
    }

    /** Tokens in {@code text}, special-token markers counted as ordinary text (as user input is). */
    static int count(String text) {
        return O200K.countTokensOrdinary(text);
    }

    /** The longest prefix of {@code text} that is at most {@code maxTokens} tokens. */
    static String truncate(String text, int maxTokens) {
        EncodingResult encoded = O200K.encodeOrdinary(text, maxTokens);
        return encoded.isTruncated() ? O200K.decode(encoded.getTokens()) : text;
    }
}
