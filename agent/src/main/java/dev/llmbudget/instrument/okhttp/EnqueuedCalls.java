package dev.llmbudget.instrument.okhttp;

import dev.llmbudget.instrument.CallOwnership;
import dev.llmbudget.instrument.WeakIdentityMap;

/**
 * The OkHttp calls enqueued (asynchronous), remembered weakly: a call cancelled before it ran leaves
 * nothing behind. An entry is not removed when the interceptor reads it: an interceptor an
 * application put before the agent's could run it again for the same call.
 */
final class EnqueuedCalls {
    /** An enqueued call, and the layer above that owns it (an SDK's asynchronous request), or null. */
    record Enqueued(CallOwnership.Owner owner) {
    }

    private static final Enqueued UNOWNED = new Enqueued(null);
    private static final WeakIdentityMap<Enqueued> CALLS = new WeakIdentityMap<>();

    private EnqueuedCalls() {
    }

    /** {@code call} is being enqueued on this thread, under {@code owner} (or none). */
    static void add(Object call, CallOwnership.Owner owner) {
        CALLS.put(call, owner == null ? UNOWNED : new Enqueued(owner));
    }

    /** How {@code call} was enqueued, or null when it was executed synchronously. */
    static Enqueued of(Object call) {
        return CALLS.get(call);
    }

    /** For tests: how many calls are remembered. */
    static int size() {
        return CALLS.size();
    }
}
