package dev.llmbudget.instrument;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.GuardFailureException;
import dev.llmbudget.core.CallGate;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.wire.ProviderHosts;

/**
 * What every interception point reaches: the installed {@link CallGate} and the policy for the agent's
 * own failures ({@code on-internal-error}). Until the agent installs a gate, calls pass unguarded.
 */
public final class Enforcement {
    private static volatile CallGate gate;
    private static volatile boolean blockOnInternalError;
    private static volatile ProviderHosts providerHosts = ProviderHosts.defaults();

    private Enforcement() {
    }

    public static void install(CallGate callGate, boolean blockOnError, ProviderHosts hosts) {
        blockOnInternalError = blockOnError;
        providerHosts = hosts;
        gate = callGate;
    }

    /** The hosts whose raw HTTP traffic the HTTP-level layers guard ({@code providers.hosts}). */
    public static ProviderHosts providerHosts() {
        return providerHosts;
    }

    /** The gate, or null before the agent has started. */
    public static CallGate gate() {
        return gate;
    }

    /**
     * The agent failed while guarding a call. Logs once per interception point with context, and
     * either lets the call through unguarded (recorded in the ledger) or refuses it.
     *
     * @return the refusal to throw, or null to let the call proceed
     */
    public static BudgetExceededException internalError(String where, LlmCall call, Throwable error) {
        AgentLog.once("internal-error:" + where, AgentLog.Level.ERROR, "internal error while guarding a call in " + where
                + " (model " + (call == null ? "unknown" : call.model()) + "); on-internal-error="
                + (blockOnInternalError ? "block: the call is refused" : "allow: the call proceeds unguarded")
                + ". Further errors here are counted in the ledger, not logged.", error);
        CallGate current = gate;
        if (blockOnInternalError) {
            return new GuardFailureException("llm-budget-agent could not guard this call (" + error
                    + ") and on-internal-error=block refuses unguarded calls", error);
        }
        if (current != null) {
            try {
                current.recordUnguarded(call, where + ": " + error);
            } catch (RuntimeException ignored) {
                // the ledger is best effort here; the call must proceed
            }
        }
        return null;
    }
}
