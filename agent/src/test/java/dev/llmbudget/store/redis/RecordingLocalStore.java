package dev.llmbudget.store.redis;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SettlementLog;
import dev.llmbudget.store.SpendStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test implementation of our own local-store contract ({@code SpendStore & SettlementLog}, as the journal store
 * implements it): a {@link MemoryStore} that records every settlement until it is acknowledged.
 */
final class RecordingLocalStore implements SpendStore, SettlementLog {
    private final MemoryStore memory = new MemoryStore();
    private final Map<String, Settlement> unacknowledged = new LinkedHashMap<>();
    private final List<Settlement> all = new ArrayList<>();
    private volatile boolean closed;

    /** A settlement a previous run left unacknowledged (a journal replayed on start). */
    synchronized void leftOver(Settlement settlement) {
        unacknowledged.put(settlement.reservationId(), settlement);
        all.add(settlement);
    }

    @Override
    public ReserveResult reserve(String reservationId, List<AccountRef> accounts, long amountMicros) {
        return memory.reserve(reservationId, accounts, amountMicros);
    }

    @Override
    public void settle(Reservation reservation, long actualMicros) {
        memory.settle(reservation, actualMicros);
        record(new Settlement(reservation.id(), reservation.accounts(), actualMicros));
    }

    @Override
    public void release(Reservation reservation) {
        memory.release(reservation);
        record(new Settlement(reservation.id(), reservation.accounts(), 0));
    }

    private synchronized void record(Settlement settlement) {
        unacknowledged.put(settlement.reservationId(), settlement);
        all.add(settlement);
    }

    @Override
    public synchronized List<Settlement> unacknowledged() {
        return List.copyOf(unacknowledged.values());
    }

    @Override
    public synchronized void acknowledge(String reservationId) {
        unacknowledged.remove(reservationId);
    }

    /** Every settlement ever recorded, acknowledged or not. */
    synchronized List<Settlement> settlements() {
        return List.copyOf(all);
    }

    synchronized long settledMicros() {
        return all.stream().mapToLong(Settlement::actualMicros).sum();
    }

    @Override
    public Balance balance(AccountRef account) {
        return memory.balance(account);
    }

    @Override
    public List<AccountBalance> accounts() {
        return memory.accounts();
    }

    @Override
    public String describe() {
        return "recording local store";
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }
}
