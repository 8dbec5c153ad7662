package dev.llmbudget.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Spend kept in this JVM's memory: the store of {@code store=memory} (lost on restart), and the live
 * balances the journal store decides against (seeded from its file, so deciding never reads the file).
 *
 * <p>Each account has its own lock, so calls on separate budgets never contend. A call that falls
 * under several accounts locks them in one global order (by key), checks all, then holds in all:
 * atomic without a global lock and without deadlock. The earlier buckets of a rolling window are
 * read under their own lock, after the account's; they only ever lose holds and gain spend from
 * settles, so a read between the two is never below what a strict snapshot would give by more than
 * a concurrent release. Open reservations are kept by id, so a settle or release takes effect once.
 */
public final class MemoryStore implements SpendStore {

    /**
     * At most this often, when an account is created (a window rolled over, a new key or model), accounts
     * whose window has ended are dropped: a minute window makes 1,440 a day. Checked only on creation, so
     * the reserve path shares no counter between threads.
     */
    private static final long SWEEP_INTERVAL_MILLIS = 60_000;

    private final long sweepIntervalMillis;

    private static final class Account {
        final ReentrantLock lock = new ReentrantLock();
        final long expiresAtMillis;
        long spent;
        long held;
        /** Set under the lock when the account is forgotten: whoever locks it afterwards must look the key up again. */
        boolean forgotten;

        Account(long expiresAtMillis) {
            this.expiresAtMillis = expiresAtMillis;
        }

        boolean expiredAt(long nowMillis) {
            return expiresAtMillis != 0 && expiresAtMillis <= nowMillis;
        }
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Reservation> open = new ConcurrentHashMap<>();
    private volatile long nextSweepMillis;

    public MemoryStore() {
        this(SWEEP_INTERVAL_MILLIS);
    }

    /** For tests: sweeps at most every {@code sweepIntervalMillis}. */
    MemoryStore(long sweepIntervalMillis) {
        this.sweepIntervalMillis = sweepIntervalMillis;
    }

    /** Starts an account with spend a durable store replayed, before the store is shared with other threads. */
    public void seed(String key, long spentMicros, long expiresAtMillis) {
        account(key, expiresAtMillis).spent += spentMicros;
    }

    /**
     * @throws StoreException when a reservation with this id is already open
     */
    @Override
    public ReserveResult reserve(String reservationId, List<AccountRef> refs, long amountMicros) {
        List<AccountRef> ordered = AccountRef.inLockOrder(refs);
        Account[] locked = new Account[ordered.size()];
        int count = 0;
        Reservation reservation;
        try {
            for (AccountRef ref : ordered) {
                Account account = lockedAccount(ref);
                locked[count++] = account;
                Balance earlier = earlier(ref);
                if (earlier.spentMicros() + earlier.heldMicros() + account.spent + account.held + amountMicros
                        > ref.limitMicros()) {
                    return new ReserveResult.Denied(ref, earlier.plus(new Balance(account.spent, account.held)));
                }
            }
            for (Account account : locked) {
                account.held += amountMicros;
            }
            reservation = new Reservation(reservationId, List.copyOf(ordered), amountMicros);
        } finally {
            for (int i = count - 1; i >= 0; i--) {
                locked[i].lock.unlock();
            }
        }
        if (open.putIfAbsent(reservationId, reservation) != null) {
            apply(reservation, 0);
            throw new StoreException("reservation id " + reservationId + " is already open");
        }
        return new ReserveResult.Granted(reservation);
    }

    @Override
    public void settle(Reservation reservation, long actualMicros) {
        Reservation taken = take(reservation.id());
        if (taken != null) {
            apply(taken, actualMicros);
        }
    }

    @Override
    public void release(Reservation reservation) {
        settle(reservation, 0);
    }

    /**
     * Takes the reservation with this id out of the open ones, for a store that writes it down before
     * applying it; null when it is not open (finished already, or never made here).
     */
    public Reservation take(String reservationId) {
        return open.remove(reservationId);
    }

    /** Replaces a taken reservation's hold with {@code actualMicros} of spend (0: a release) in each of its accounts. */
    public void apply(Reservation reservation, long actualMicros) {
        for (AccountRef ref : reservation.accounts()) {
            Account account = lockedAccount(ref);
            try {
                account.held -= reservation.amountMicros();
                account.spent += actualMicros;
            } finally {
                account.lock.unlock();
            }
        }
    }

    /** Takes back a reservation a durable store could not write down: as if it had never been made. */
    public void undo(Reservation reservation) {
        if (open.remove(reservation.id(), reservation)) {
            apply(reservation, 0);
        }
    }

    @Override
    public Balance balance(AccountRef ref) {
        return earlier(ref).plus(balanceOf(ref.key()));
    }

    @Override
    public List<AccountBalance> accounts() {
        return accounts(System.currentTimeMillis());
    }

    /** Accounts not expired by {@code nowMillis} that have spend or holds, by key (a refused call leaves an empty one). */
    public List<AccountBalance> accounts(long nowMillis) {
        List<AccountBalance> all = new ArrayList<>();
        accounts.forEach((key, account) -> {
            Balance balance = balanceOf(key);
            if (!account.expiredAt(nowMillis) && !balance.equals(Balance.EMPTY)) {
                all.add(new AccountBalance(key, balance, account.expiresAtMillis));
            }
        });
        all.sort((a, b) -> a.key().compareTo(b.key()));
        return all;
    }

    @Override
    public String describe() {
        return "memory (lost on restart)";
    }

    @Override
    public void close() {
    }

    /** Whether an account's window has ended with nothing held in it (a durable store can compact it away). */
    public boolean hasExpired(long nowMillis) {
        for (Account account : accounts.values()) {
            if (account.expiredAt(nowMillis) && holdsNothing(account)) {
                return true;
            }
        }
        return false;
    }

    /** Drops accounts whose window has ended by {@code nowMillis} and that hold nothing, so memory stays bounded. */
    public void forgetExpired(long nowMillis) {
        accounts.entrySet().removeIf(entry -> entry.getValue().expiredAt(nowMillis) && forget(entry.getValue()));
    }

    private static boolean holdsNothing(Account account) {
        account.lock.lock();
        try {
            return account.held == 0;
        } finally {
            account.lock.unlock();
        }
    }

    /**
     * Only an account no one holds right now is forgotten (tryLock): the sweep may run inside a reserve that
     * holds other accounts' locks (never forgets one of those: it is in use), and must never wait for a lock
     * another such reserve holds.
     */
    private static boolean forget(Account account) {
        if (account.lock.isHeldByCurrentThread() || !account.lock.tryLock()) {
            return false;
        }
        try {
            account.forgotten = account.held == 0;
            return account.forgotten;
        } finally {
            account.lock.unlock();
        }
    }

    private Balance earlier(AccountRef ref) {
        Balance sum = Balance.EMPTY;
        for (String key : ref.alsoCounted()) {
            sum = sum.plus(balanceOf(key));
        }
        return sum;
    }

    private Balance balanceOf(String key) {
        Account account = accounts.get(key);
        if (account == null) {
            return Balance.EMPTY;
        }
        account.lock.lock();
        try {
            return new Balance(account.spent, account.held);
        } finally {
            account.lock.unlock();
        }
    }

    /** The account, locked; looked up again if it was forgotten between the lookup and the lock. */
    private Account lockedAccount(AccountRef ref) {
        while (true) {
            Account account = account(ref.key(), ref.expiresAtMillis());
            account.lock.lock();
            if (!account.forgotten) {
                return account;
            }
            account.lock.unlock();
        }
    }

    private Account account(String key, long expiresAtMillis) {
        Account known = accounts.get(key);
        if (known != null) {
            return known;
        }
        sweepIfDue();
        return accounts.computeIfAbsent(key, k -> new Account(expiresAtMillis));
    }

    private void sweepIfDue() {
        long now = System.currentTimeMillis();
        if (now >= nextSweepMillis) {
            nextSweepMillis = now + sweepIntervalMillis;
            forgetExpired(now);
        }
    }
}
