package dev.llmbudget.store;

/** The outcome of {@link SpendStore#reserve}: held in every account, refused by one, or not decided at all. */
public sealed interface ReserveResult {
    record Granted(Reservation reservation) implements ReserveResult {
    }

    /** {@code account} could not take the amount; {@code balance} is what it held at that moment (earlier buckets included). */
    record Denied(AccountRef account, Balance balance) implements ReserveResult {
    }

    /**
     * The store could not decide (a shared store out of reach, with the policy to refuse), so nothing
     * is held and the call must not go out.
     *
     * @param rule the configuration key that decided, e.g. {@code store.redis.on-unavailable}
     * @param reason why, in words an operator can act on (no secrets: never a password from a URL)
     */
    record Unavailable(String rule, String reason) implements ReserveResult {
    }

    /**
     * Every call is halted by an operator (the kill-switch key in the shared store exists).
     *
     * @param rule the configuration key of the switch, e.g. {@code killswitch.redis-key}
     * @param reason the switch's value: who halted and why, as the operator wrote it
     */
    record Halted(String rule, String reason) implements ReserveResult {
    }
}
