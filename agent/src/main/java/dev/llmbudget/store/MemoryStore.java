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
 * under several accounts locks them in one global order (by key), checks all, then holds in all:
 * atomic without a global lock and without deadlock. The earlier buckets of a rolling window are
 * read under their own lock, after the account's; they only ever lose holds and gain spend from
 * settles, so a read between the two is never below what a strict snapshot would give by more than
 * a concurrent release.
 */
public final class MemoryStore implements SpendStore {

    private static final class Account {
        final ReentrantLock lock = new ReentrantLock();
        final long expiresAtMillis;
        long spent;
        long held;

        Account(long expiresAtMillis) {
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

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
                Account account = account(ref.key(), ref.expiresAtMillis());
                account.lock.lock();
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
            Account account = account(ref.key(), ref.expiresAtMillis());
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
            Account account = account(ref.key(), ref.expiresAtMillis());
            account.lock.lock();
            try {
                account.held -= reservation.amountMicros();
            } finally {
                account.lock.unlock();
            }
        }
    }

    @Override
    public Balance balance(AccountRef ref) {
        return earlier(ref).plus(balanceOf(ref.key()));
    }

    @Override
    public List<AccountBalance> accounts() {
        List<AccountBalance> all = new ArrayList<>();
        long now = System.currentTimeMillis();
        accounts.forEach((key, account) -> {
            if (account.expiresAtMillis == 0 || account.expiresAtMillis > now) {
                all.add(new AccountBalance(key, balanceOf(key), account.expiresAtMillis));
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

    /** Drops accounts whose window has ended by {@code nowMillis}, so a long-lived JVM's memory stays bounded. */
    public void forgetExpired(long nowMillis) {
        accounts.entrySet().removeIf(entry -> {
            Account account = entry.getValue();
            return account.expiresAtMillis != 0 && account.expiresAtMillis <= nowMillis && account.held == 0;
        });
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

    private Account account(String key, long expiresAtMillis) {
        return accounts.computeIfAbsent(key, k -> new Account(expiresAtMillis));
    }
}
