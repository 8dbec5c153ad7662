package dev.llmbudget.store;

import java.util.List;

/**
 * A local store whose settlements are kept until acknowledged: where spend granted while a shared
 * store was out of reach waits, durably, to be reconciled into it. A settlement is the final cost
 * of one reservation: settled, released (0), or charged in full because its JVM died with it open.
 */
public interface SettlementLog {

    /** Every settlement not yet acknowledged, oldest first, including those replayed after a restart. */
    List<Settlement> unacknowledged();

    /** The settlement has been applied elsewhere (idempotently, by its id) and need not be kept. */
    void acknowledge(String reservationId);

    record Settlement(String reservationId, List<AccountRef> accounts, long actualMicros) {
        public Settlement {
            accounts = List.copyOf(accounts);
        }
    }
}
