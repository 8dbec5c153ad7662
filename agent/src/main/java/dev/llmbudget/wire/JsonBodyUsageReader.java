package dev.llmbudget.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.core.Usage;
import java.util.Arrays;
import java.util.Set;

/**
 * Usage from a plain JSON response: the body is copied as it passes (it is small: usage comes with
 * the whole completion) and parsed once at the end. A body larger than the cap is not kept; the call
 * is then charged its reservation, never zero.
 */
public final class JsonBodyUsageReader implements UsageReader {
    public static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    /** Where the protocols put usage: top-level {@code usage}, or inside {@code response} (Responses API events). */
    private static final Set<String> USAGE_FIELDS = Set.of("usage", "response");

    private final UsageExtractor extractor;
    private byte[] buffer = new byte[4096];
    private int size;
    private boolean overflowed;

    public JsonBodyUsageReader(UsageExtractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) {
        if (overflowed) {
            return;
        }
        if (size + length > MAX_BODY_BYTES) {
            overflowed = true;
            buffer = null;
            return;
        }
        if (size + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + length));
        }
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    @Override
    public Usage finish() {
        if (overflowed || size == 0) {
            return null;
        }
        try {
            JsonNode usageFields = Json.parseFields(buffer, 0, size, USAGE_FIELDS);
            return usageFields == null ? null : extractor.usageIn(usageFields);
        } catch (Exception unreadable) {
            return null;
        } finally {
            buffer = null;
        }
    }
}
