package dev.llmbudget.core.limits;

/** One limit of {@code limits.*}. Implementations are thread-safe; every guarded call passes through them. */
interface CallLimit {

    /**
     * Admits the call or refuses it.
     *
     * @param nowNanos {@link System#nanoTime()} now
     * @throws dev.llmbudget.LimitExceededException (a subclass naming the limit) when the call must not be sent
     */
    Ticket admit(LimitedCall call, long nowNanos);
}
