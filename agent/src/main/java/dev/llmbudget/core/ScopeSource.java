package dev.llmbudget.core;

/** Tells the {@link Guard} the scope of the call being made on the current thread. */
public interface ScopeSource {
    ScopeSource NONE = () -> CallScope.NONE;

    CallScope current();
}
