package dev.llmbudget.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Spend kept in this JVM's memory ({@code store=memory}): lost on restart.
 *
 * <p>Each account has its own lock, so calls on separate budgets never contend. A call that falls
 * under several budgets locks their accounts in one global order (by budget, then window), checks
 * all, then holds in all: atomic without a global lock and without deadlock.
 */
public final class MemoryStore implements SpendStore {

    private record Key(String budget, String window) {
    }

    private static final class Account {
        final ReentrantLock lock = new ReentrantLock();
        long spent;
        long held;
    }

    private final Map<Key, Account> accounts = new ConcurrentHashMap<>();

    @Override
    public ReserveResult reserve(String reservationId, List<AccountRef> refs, long amountMicros) {
        List<AccountRef> ordered = refs;
        if (refs.size() > 1) {
            ordered = new ArrayList<>(refs);
            Collections.sort(ordered);
        }
        Account[] locked = new Account[ordered.size()];
        int count = 0;
        try {
            for (AccountRef ref : ordered) {
                Account account = account(ref.budget(), ref.window());
                account.lock.lock();
                locked[count++] = account;
                if (account.spent + account.held + amountMicros > ref.limitMicros()) {
                    return new ReserveResult.Denied(ref, new Balance(account.spent, account.held));
                }
            }
            for (Account account : locked) {
                account.held += amountMicros;
            }
            return new ReserveResult.Granted(new Reservation(reservationId, List.copyOf(ordered), amountMicros));
        } finally {
            for (int i = count - 1; i >= 0; i--) {
                locked[i].lock.unlock();
            }
        }
    }

    @Override
    public void settle(Reservation reservation, long actualMicros) {
        for (AccountRef ref : reservation.accounts()) {
            Account account = account(ref.budget(), ref.window());
            account.lock.lock();
            try {
                account.held -= reservation.amountMicros();
                account.spent += actualMicros;
            } finally {
                account.lock.unlock();
            }
        }
    }

    @Override
    public void release(Reservation reservation) {
        for (AccountRef ref : reservation.accounts()) {
            Account account = account(ref.budget(), ref.window());
            account.lock.lock();
            try {
                account.held -= reservation.amountMicros();
            } finally {
                account.lock.unlock();
            }
        }
    }

    @Override
    public Balance balance(String budget, String window) {
        Account account = accounts.get(new Key(budget, window));
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

    private Account account(String budget, String window) {
        return accounts.computeIfAbsent(new Key(budget, window), key -> new Account());
    }
}
