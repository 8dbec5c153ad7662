package dev.llmbudget.store;

import java.util.List;

/**
 * Where spend is kept. A call first reserves its worst case in every account it falls under, all or
 * none, atomically against concurrent callers (so N parallel calls can never push an account past
 * its limit); then it settles the reservation with the actual cost, or releases it.
 */
public interface SpendStore {

    /**
     * Holds {@code amountMicros} in every account if each has {@code spent + held + amount <= limit};
     * otherwise holds nothing and names the first account that could not take it.
     */
    ReserveResult reserve(String reservationId, List<AccountRef> accounts, long amountMicros);

    /** Replaces the reservation's hold with {@code actualMicros} of settled spend in each of its accounts. */
    void settle(Reservation reservation, long actualMicros);

    /** Drops the reservation's hold: the call cost nothing. */
    void release(Reservation reservation);

    Balance balance(String budget, String window);
}
