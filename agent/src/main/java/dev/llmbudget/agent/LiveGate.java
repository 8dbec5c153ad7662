package dev.llmbudget.agent;

import dev.llmbudget.core.CallGate;
import dev.llmbudget.core.Guard;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Permit;

/**
 * The gate whose guard a configuration reload replaces. A call decided by the old guard is settled by it,
 * into the same store, so nothing in flight is lost by the switch; the next call meets the new one.
 */
final class LiveGate implements CallGate {
    private volatile Guard guard;

    LiveGate(Guard guard) {
        this.guard = guard;
    }

    Guard guard() {
        return guard;
    }

    void replace(Guard next) {
        guard = next;
    }

    @Override
    public Permit preflight(LlmCall call) {
        return guard.preflight(call);
    }

    @Override
    public void recordUnguarded(LlmCall call, String detail) {
        guard.recordUnguarded(call, detail);
    }
}
