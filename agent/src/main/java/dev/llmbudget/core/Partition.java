package dev.llmbudget.core;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How a budget or a limit is split ({@code budget.<name>.per}, {@code limits.*.per}): one account for
 * every call ({@code global}), or one per tenant, per run, per API key or per model, each with the
 * whole limit. Calls without a tenant share the tenant {@code (none)}; calls outside any run share the
 * run {@code (none)}. An API key is told apart by its
 * fingerprint only, so no key ever appears in a store, a journal line or a Redis key.
 */
public enum Partition {
    GLOBAL("global"),
    TENANT("tenant"),
    TASK("task"),
    API_KEY("api-key"),
    MODEL("model");

    /** The tenant of calls without one, the run of calls outside runs. */
    static final String NONE = "(none)";

    private final String configName;

    Partition(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Partition parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        for (Partition partition : values()) {
            if (partition.configName.equals(value)) {
                return partition;
            }
        }
        throw new IllegalArgumentException("not a partition: " + text);
    }

    /** The partition's part of an account key, e.g. {@code global}, {@code model=gpt-4o}, {@code key=sk-%E2%80%A6abcd%233f9a}. */
    String keyPartOf(LlmCall call, CallScope scope) {
        return switch (this) {
            case GLOBAL -> "global";
            case TENANT -> "tenant=" + encode(scope.tenant() == null ? NONE : scope.tenant());
            case TASK -> "task=" + encode(scope.run() == null ? NONE : scope.run().id());
            case API_KEY -> "key=" + encode(call.keyFingerprint() == null ? "none" : call.keyFingerprint());
            case MODEL -> "model=" + encode(call.model() == null ? "unknown" : call.model());
        };
    }

    /**
     * The partition a call falls in, in words: {@code global}, {@code tenant acme}, {@code run run-… (com.acme.Pipeline#run)},
     * {@code API key sk-…abcd#3f9a}, {@code model gpt-4o}. Tells partitions apart (the limits of {@code limits.*.per}
     * key their state by it) and names them in refusals.
     */
    public String label(LlmCall call, CallScope scope) {
        return switch (this) {
            case GLOBAL -> "global";
            case TENANT -> "tenant " + (scope.tenant() == null ? NONE : scope.tenant());
            case TASK -> "run " + (scope.run() == null ? NONE : scope.run().toString());
            case API_KEY -> "API key " + (call.keyFingerprint() == null ? "(none read)" : call.keyFingerprint());
            case MODEL -> "model " + call.model();
        };
    }

    /** What a budget's refusal says about the partition, e.g. {@code for API key sk-…abcd#3f9a}, or empty for {@code global}. */
    String describe(LlmCall call, CallScope scope) {
        return this == GLOBAL ? "" : " for " + label(call, scope);
    }

    /** Percent-encodes all but {@code [A-Za-z0-9._-]}, so a value can never break an account key or a journal line. */
    static String encode(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean plain = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            if (plain) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < value.length() ? i + 2 : i + 1;
            for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
            i = end - 1;
        }
        return out == null ? value : out.toString();
    }
}
