package dev.llmbudget.tokens;

import java.util.List;

/**
 * Everything of a request that the provider bills as input, as the wire layer extracted it.
 *
 * @param texts every text the request sends: message contents, names, tool calls and results,
 *     tool definitions, instructions, schemas
 * @param messages how many chat messages (each carries a fixed overhead the provider bills)
 * @param images how many images (priced at a stated bound each, see {@link TokenCounter})
 * @param preTokenized input given as token ids (embeddings accept these), counted one each
 */
public record Prompt(List<String> texts, int messages, int images, long preTokenized) {
    public Prompt {
        texts = List.copyOf(texts);
    }

    public static Prompt ofText(String text) {
        return new Prompt(List.of(text), 0, 0, 0);
    }

    public long utf8Bytes() {
        long bytes = 0;
        for (String text : texts) {
            bytes += utf8Length(text);
        }
        return bytes;
    }

    static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
