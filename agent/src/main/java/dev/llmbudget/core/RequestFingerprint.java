package dev.llmbudget.core;

import dev.llmbudget.tokens.Prompt;

/**
 * A request's identity for retry and loop detection: provider, endpoint, model and everything billed
 * as input (messages, tool definitions, instructions), hashed to 64 bits. Two requests that differ in
 * any of those differ here (a collision is a 2^-64 chance); sampling parameters such as the
 * temperature are not part of it, so a retry "with slightly different parameters" of the same
 * messages is still the same request.
 */
final class RequestFingerprint {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private RequestFingerprint() {
    }

    static long of(LlmCall call) {
        long hash = FNV_OFFSET;
        hash = mix(hash, call.provider());
        hash = mix(hash, call.endpoint());
        hash = mix(hash, call.model());
        Prompt prompt = call.prompt();
        if (prompt != null) {
            for (String text : prompt.texts()) {
                hash = mix(hash, text);
            }
            hash = (hash ^ prompt.messages()) * FNV_PRIME;
            hash = (hash ^ prompt.images()) * FNV_PRIME;
            hash = (hash ^ prompt.preTokenized()) * FNV_PRIME;
        }
        return finish(hash);
    }

    /** FNV-1a over the characters, then a separator, so ("ab", "c") and ("a", "bc") differ. */
    private static long mix(long hash, String text) {
        if (text != null) {
            for (int i = 0, n = text.length(); i < n; i++) {
                hash = (hash ^ text.charAt(i)) * FNV_PRIME;
            }
        }
        return (hash ^ 0x1F) * FNV_PRIME;
    }

    /** MurmurHash3's finalizer: spreads FNV's weak high bits. */
    private static long finish(long hash) {
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb93fe53ca85bL;
        return hash ^ (hash >>> 33);
    }
}
