package dev.llmbudget.store.journal;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.SettlementLog.Settlement;
import dev.llmbudget.store.SpendStore.AccountBalance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a journal's events add up to: settled spend per account, the reservations still open, the claims
 * not expired, and (when kept) the settlements not yet acknowledged. Replay folds a file into one on open; compaction folds
 * the file it replaces into one and writes it back as a snapshot, so a snapshot can never disagree
 * with the events it stands for. Single-threaded.
 */
final class JournalState {

    /** An account's settled spend as the journal knows it; what is held is derived from the open reservations. */
    static final class Account {
        final long expiresAtMillis;
        long spentMicros;

        Account(long expiresAtMillis) {
            this.expiresAtMillis = expiresAtMillis;
        }

        boolean expiredAt(long nowMillis) {
            return expiresAtMillis != 0 && expiresAtMillis <= nowMillis;
        }
    }

    private final boolean keepSettlements;
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, JournalEvent.Reserve> open = new LinkedHashMap<>();
    private final Map<String, Settlement> unacknowledged = new LinkedHashMap<>();
    /** Claim key to when it expires, epoch ms. */
    private final Map<String, Long> claims = new HashMap<>();

    JournalState(boolean keepSettlements) {
        this.keepSettlements = keepSettlements;
    }

    void apply(JournalEvent event) {
        if (event instanceof JournalEvent.Reserve reserve) {
            open.putIfAbsent(reserve.id(), reserve);
            for (AccountRef ref : reserve.accounts()) {
                account(ref.key(), ref.expiresAtMillis());
            }
        } else if (event instanceof JournalEvent.Settle settle) {
            finish(settle.id(), settle.actualMicros());
        } else if (event instanceof JournalEvent.Release release) {
            finish(release.id(), 0);
        } else if (event instanceof JournalEvent.Acknowledge ack) {
            unacknowledged.remove(ack.id());
        } else if (event instanceof JournalEvent.Claim claim) {
            claims.merge(claim.key(), claim.expiresAtMillis(), Math::max);
        } else if (event instanceof JournalEvent.AccountSnapshot snapshot) {
            Account account = new Account(snapshot.expiresAtMillis());
            account.spentMicros = snapshot.spentMicros();
            accounts.put(snapshot.key(), account);
        } else if (event instanceof JournalEvent.SettlementSnapshot snapshot && keepSettlements) {
            unacknowledged.put(snapshot.settlement().reservationId(), snapshot.settlement());
        }
    }

    /**
     * Charges every open reservation its full amount, as if settled at its worst case: on open, a
     * reservation still open was made by a JVM that stopped mid-call, whose cost nobody will report.
     *
     * @return the reservations charged
     */
    List<JournalEvent.Reserve> chargeOpenInFull() {
        List<JournalEvent.Reserve> charged = new ArrayList<>(open.values());
        for (JournalEvent.Reserve reserve : charged) {
            finish(reserve.id(), reserve.amountMicros());
        }
        return charged;
    }

    /** Forgets accounts whose window has ended and that no open reservation holds spend in. */
    void dropExpired(long nowMillis) {
        Set<String> held = new HashSet<>();
        for (JournalEvent.Reserve reserve : open.values()) {
            for (AccountRef ref : reserve.accounts()) {
                held.add(ref.key());
            }
        }
        accounts.entrySet().removeIf(entry -> entry.getValue().expiredAt(nowMillis) && !held.contains(entry.getKey()));
        claims.values().removeIf(expiresAt -> expiresAt <= nowMillis);
    }

    /** The events a compacted journal consists of: header, accounts (by key), claims (by key), settlements kept, reservations open. */
    List<JournalEvent> snapshot(long nowMillis) {
        List<JournalEvent> events = new ArrayList<>(1 + accounts.size() + claims.size() + unacknowledged.size() + open.size());
        events.add(new JournalEvent.Header(JournalCodec.VERSION, nowMillis));
        new TreeMap<>(accounts).forEach((key, account) ->
                events.add(new JournalEvent.AccountSnapshot(key, account.spentMicros, account.expiresAtMillis)));
        new TreeMap<>(claims).forEach((key, expiresAt) -> events.add(new JournalEvent.Claim(key, expiresAt)));
        for (Settlement settlement : unacknowledged.values()) {
            events.add(new JournalEvent.SettlementSnapshot(settlement));
        }
        events.addAll(open.values());
        return events;
    }

    /** Live accounts with spend, by key, open reservations counted as held (not charged): what an operator sees. */
    List<AccountBalance> balances(long nowMillis) {
        Map<String, Long> held = new HashMap<>();
        for (JournalEvent.Reserve reserve : open.values()) {
            for (AccountRef ref : reserve.accounts()) {
                held.merge(ref.key(), reserve.amountMicros(), Long::sum);
            }
        }
        List<AccountBalance> balances = new ArrayList<>();
        new TreeMap<>(accounts).forEach((key, account) -> {
            Balance balance = new Balance(account.spentMicros, held.getOrDefault(key, 0L));
            if (!account.expiredAt(nowMillis) && !balance.equals(Balance.EMPTY)) {
                balances.add(new AccountBalance(key, balance, account.expiresAtMillis));
            }
        });
        return balances;
    }

    Map<String, Account> accounts() {
        return accounts;
    }

    Map<String, Long> claims() {
        return claims;
    }

    List<Settlement> unacknowledged() {
        return new ArrayList<>(unacknowledged.values());
    }

    /** Settles a reservation if it is open; one that is not (settled already, or never seen) is ignored, as the store does. */
    private void finish(String id, long actualMicros) {
        JournalEvent.Reserve reserve = open.remove(id);
        if (reserve == null) {
            return;
        }
        for (AccountRef ref : reserve.accounts()) {
            account(ref.key(), ref.expiresAtMillis()).spentMicros += actualMicros;
        }
        if (keepSettlements) {
            unacknowledged.put(id, new Settlement(id, reserve.accounts(), actualMicros));
        }
    }

    private Account account(String key, long expiresAtMillis) {
        return accounts.computeIfAbsent(key, k -> new Account(expiresAtMillis));
    }
}
