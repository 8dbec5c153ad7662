package dev.llmbudget.instrument.context;

import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.Run;
import dev.llmbudget.core.ScopeSource;

/** The scope of a call made on the current thread: its run and its tenant (MDC key {@code tenant.mdc-key}). */
public final class ThreadScope implements ScopeSource {
    private final TenantMdc tenants;

    /** @param tenantMdcKey {@code tenant.mdc-key}, or null */
    public ThreadScope(String tenantMdcKey) {
        this.tenants = tenantMdcKey == null || tenantMdcKey.isBlank() ? null : new TenantMdc(tenantMdcKey.trim());
    }

    @Override
    public CallScope current() {
        Run run = RunContext.current();
        String tenant = tenants == null ? null : tenants.current();
        return run == null && tenant == null ? CallScope.NONE : new CallScope(run, tenant);
    }
}
