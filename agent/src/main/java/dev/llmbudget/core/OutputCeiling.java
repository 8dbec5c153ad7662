package dev.llmbudget.core;

/**
 * {@code limits.max-output-tokens}: the most output one call may ask for. A request that asks for
 * more, or sets no maximum, is rewritten to the ceiling ({@code clamp}) or refused ({@code refuse}).
 *
 * @param maxTokens the ceiling, or 0 for none
 * @param refuse whether a request over the ceiling is refused instead of clamped
 */
public record OutputCeiling(long maxTokens, boolean refuse) {
    public static final OutputCeiling NONE = new OutputCeiling(0, false);
    public static final String KEY = "limits.max-output-tokens";

    /** Whether a request asking for {@code requested} output tokens (0: no maximum set) goes past the ceiling. */
    boolean exceededBy(long requested) {
        return maxTokens > 0 && (requested <= 0 || requested > maxTokens);
    }
}
