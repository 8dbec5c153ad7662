package dev.llmbudget.store;

import java.util.List;

/**
 * Spend held in every account of a call until it is settled or released.
 *
 * @param note how the hold was granted when that is worth a line in the ledger (e.g. from a local
 *     slice while the shared store was out of reach), else null
 */
public record Reservation(String id, List<AccountRef> accounts, long amountMicros, String note) {

    public Reservation(String id, List<AccountRef> accounts, long amountMicros) {
        this(id, accounts, amountMicros, null);
    }

    public Reservation withNote(String text) {
        return new Reservation(id, accounts, amountMicros, text);
    }
}
