package dev.llmbudget.core;

/** What interception points ask before sending a call: the {@link Guard}, or a gate that refuses everything. */
public interface CallGate {

    /**
     * Reserves the call's worst case, or refuses it.
     *
     * @throws dev.llmbudget.BudgetExceededException (or a subclass) when the call must not be sent
     */
    Permit preflight(LlmCall call);

    /** Records a call the agent failed to guard, so that the ledger still shows it. */
    void recordUnguarded(LlmCall call, String detail);
}
