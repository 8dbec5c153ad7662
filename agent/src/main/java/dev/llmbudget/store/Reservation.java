package dev.llmbudget.store;

import java.util.List;

/** Spend held in every account of a call until it is settled or released. */
public record Reservation(String id, List<AccountRef> accounts, long amountMicros) {
}
