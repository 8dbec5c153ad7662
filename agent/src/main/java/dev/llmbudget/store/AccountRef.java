package dev.llmbudget.store;

import java.util.List;

/**
 * One account a call's spend is held in and then settled to: one budget, one partition of it (the
 * whole budget, an API key, a model), one window. The store treats {@code key} as an opaque id; it
 * never needs the configuration, since each reference carries its limit and lifetime.
 *
 * @param budget the budget's name, reported when this account refuses a call
 * @param key the account's id, unique across budgets, partitions and windows, e.g. {@code daily/global/2026-11-23};
 *     only the characters {@code [A-Za-z0-9._:/#@%+=-]} (the core encodes anything else)
 * @param alsoCounted ids of earlier accounts whose spent and held count against this limit too (the
 *     older buckets of a rolling window), never written by this call; empty for calendar windows
 * @param limitMicros the limit that {@code spent + held} over {@code key} and {@code alsoCounted} must stay within
 * @param expiresAtMillis epoch milliseconds after which the account may be forgotten (its window, and
 *     every rolling window that counts it, has ended), or 0 for never
 */
public record AccountRef(String budget, String key, List<String> alsoCounted, long limitMicros, long expiresAtMillis)
        implements Comparable<AccountRef> {

    public AccountRef {
        alsoCounted = List.copyOf(alsoCounted);
    }

    /** A calendar-window (or total) account: nothing else counted with it. */
    public AccountRef(String budget, String key, long limitMicros, long expiresAtMillis) {
        this(budget, key, List.of(), limitMicros, expiresAtMillis);
    }

    /** A limit no account reaches: what a shadow budget is reserved with, so that it counts spend but refuses nothing. */
    public static final long UNLIMITED = Long.MAX_VALUE / 4;

    /** This account with no limit to refuse at (a budget in shadow mode). */
    public AccountRef unlimited() {
        return new AccountRef(budget, key, alsoCounted, UNLIMITED, expiresAtMillis);
    }

    /** {@code accounts} in the lock order (see {@link #compareTo}); the list itself when it has one account. */
    public static List<AccountRef> inLockOrder(List<AccountRef> accounts) {
        if (accounts.size() < 2) {
            return accounts;
        }
        List<AccountRef> ordered = new java.util.ArrayList<>(accounts);
        java.util.Collections.sort(ordered);
        return ordered;
    }

    /** Orders accounts by key: the one lock order every store uses, so multi-account reservations cannot deadlock. */
    @Override
    public int compareTo(AccountRef other) {
        return key.compareTo(other.key);
    }
}
