package dev.llmbudget.instrument.context;

import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.ScopeSource;

/** The scope of a call made on the current thread: its run and its tenant (MDC key {@code tenant.mdc-key}). */
public final class ThreadScope implements ScopeSource {
    private final String tenantMdcKey;

    /** @param tenantMdcKey {@code tenant.mdc-key}, or null */
    public ThreadScope(String tenantMdcKey) {
        this.tenantMdcKey = tenantMdcKey;
    }

    // TODO(issue 6): run context and MDC
    @Override
    public CallScope current() {
        return CallScope.NONE;
    }
}
