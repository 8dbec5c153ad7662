package dev.llmbudget.store;

/** The outcome of {@link SpendStore#reserve}: held in every account, or refused by the first that could not take it. */
public sealed interface ReserveResult {
    record Granted(Reservation reservation) implements ReserveResult {
    }

    /** {@code account} could not take the amount; {@code balance} is what it held at that moment. */
    record Denied(AccountRef account, Balance balance) implements ReserveResult {
    }
}
