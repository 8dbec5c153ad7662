package dev.llmbudget.store.redis;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SettlementLog;
import dev.llmbudget.store.SpendStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where calls are reserved while Redis is out of reach, with {@code store.redis.on-unavailable=local}: a local
 * store that keeps its settlements until they are acknowledged (the journal store), so the {@link Reconciler}
 * can add them to Redis once it answers again.
 *
 * <p>Other JVMs cannot see this spend until then, so each account may spend at most a slice locally: its limit
 * here is {@code min(limit, slice)}. The local store keeps each account (each window of each budget) across
 * outages, so the slice bounds a window's local spend over all its outages, not per outage.
 *
 * <p>Remembers which reservations it granted, so that their settle and release come back here even after
 * Redis is reachable again.
 */
final class LocalFallback implements AutoCloseable {
    private final SpendStore store;
    private final SettlementLog log;
    private final long sliceMicros;
    /** The reservations granted here and not yet finished, as the local store granted them. */
    private final Map<String, Reservation> open = new ConcurrentHashMap<>();

    private LocalFallback(SpendStore store, SettlementLog log, long sliceMicros) {
        this.store = store;
        this.log = log;
        this.sliceMicros = sliceMicros;
    }

    static <L extends SpendStore & SettlementLog> LocalFallback of(L store, long sliceMicros) {
        return new LocalFallback(store, store, sliceMicros);
    }

    /** What the ledger line of a call granted here says, so operators can tell outage spend apart. */
    static final String GRANTED_LOCALLY = "granted from the local slice while Redis was unavailable (store.redis.on-unavailable=local)";

    /**
     * Reserves within each account's slice. A grant carries the caller's accounts (their real limits); a refusal
     * names the account with the slice as its limit, since that is what refused.
     */
    ReserveResult reserve(String reservationId, List<AccountRef> ordered, long amountMicros) {
        List<AccountRef> sliced = new ArrayList<>(ordered.size());
        for (AccountRef account : ordered) {
            sliced.add(account.limitMicros() <= sliceMicros ? account
                    : new AccountRef(account.budget(), account.key(), account.alsoCounted(), sliceMicros,
                            account.expiresAtMillis()));
        }
        ReserveResult result = store.reserve(reservationId, sliced, amountMicros);
        if (result instanceof ReserveResult.Granted granted) {
            open.put(reservationId, granted.reservation());
            return new ReserveResult.Granted(new Reservation(reservationId, ordered, amountMicros, GRANTED_LOCALLY));
        }
        return result;
    }

    /** Settles or releases the reservation here if it was granted here; false if it was not (it is Redis's). */
    boolean finish(Reservation reservation, long actualMicros, boolean release) {
        Reservation local = open.remove(reservation.id());
        if (local == null) {
            return false;
        }
        if (release) {
            store.release(local);
        } else {
            store.settle(local, actualMicros);
        }
        return true;
    }

    SettlementLog log() {
        return log;
    }

    /** For the Reconciler's log line: reservations granted here that are still open. */
    int openReservations() {
        return open.size();
    }

    @Override
    public void close() {
        store.close();
    }
}
