package dev.llmbudget.core;

/** What to do with a model that has no price ({@code pricing.unknown-model}). */
public enum UnknownModelPolicy {
    /** Refuse the call: an unknown model is never free. */
    BLOCK,
    /** Price it at {@code pricing.fallback.input-usd-per-mtok} / {@code output-usd-per-mtok}. */
    FALLBACK
}
