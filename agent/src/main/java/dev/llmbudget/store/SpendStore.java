package dev.llmbudget.store;

import java.util.List;

/**
 * Where spend is kept. A call first reserves its worst case in every account it falls under, all or
 * none, atomically against concurrent callers (in this JVM and, for a shared store, in every JVM),
 * so N parallel calls can never push an account past its limit; then it settles the reservation
 * with the actual cost, or releases it. Settle and release are idempotent on the reservation id.
 *
 * <p>Implementations never throw from {@link #settle} or {@link #release}: spend they cannot write
 * at once is kept and written later, or logged. {@link #reserve} may throw {@link StoreException}
 * for a failure the configured policy does not cover.
 */
public interface SpendStore extends AutoCloseable {

    /**
     * Holds {@code amountMicros} in every account if each has {@code spent + held + amount <= limit}
     * (spent and held summed over the account's key and its {@code alsoCounted} keys); otherwise
     * holds nothing and names the first account, in key order, that could not take it.
     */
    ReserveResult reserve(String reservationId, List<AccountRef> accounts, long amountMicros);

    /** Replaces the reservation's hold with {@code actualMicros} of settled spend in each of its accounts. */
    void settle(Reservation reservation, long actualMicros);

    /** Drops the reservation's hold: the call cost nothing. */
    void release(Reservation reservation);

    /** Spent and held over the account's key and its {@code alsoCounted} keys. */
    Balance balance(AccountRef account);

    /** Every account this store knows of that has not expired, by key: for operators ({@code spend} command). */
    List<AccountBalance> accounts();

    /** Which store this is, for the startup line and the {@code spend} command, e.g. {@code journal /var/lib/app/llm-budget.journal}. */
    String describe();

    /**
     * Claims a one-off event, such as an {@code alert-at} threshold crossed in one window, for this process and
     * every process sharing the store: true for the first claim of {@code key} within {@code ttlMillis}, false for
     * any later one. A store that keeps nothing beyond this process answers true, and so does a shared store it
     * cannot reach (an event raised twice beats one lost): the caller's own memory then decides. Never throws.
     */
    default boolean claimOnce(String key, long ttlMillis) {
        return true;
    }

    /** Writes out whatever is buffered and lets go of files and connections. Never throws. */
    @Override
    void close();

    /** One account's balance as {@link #accounts()} lists it. */
    record AccountBalance(String key, Balance balance, long expiresAtMillis) {
    }
}
