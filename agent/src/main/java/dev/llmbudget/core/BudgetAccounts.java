package dev.llmbudget.core;

import dev.llmbudget.store.AccountRef;
import java.time.Instant;

/**
 * Turns a budget and a call into the account the call's spend goes to. The current window's span is
 * worked out once and reused until the window rolls over, so the common case (a global budget)
 * costs one time comparison and one allocation per call.
 *
 * <p>Public for the operators' views ({@code ops.jmx}): they read a budget's accounts as the guard charges them.
 */
public final class BudgetAccounts {
    private final BudgetSpec budget;
    private volatile Current current;

    private record Current(BudgetWindow.Span span, long fromMillis, long endsAtMillis, AccountRef global) {
    }

    public BudgetAccounts(BudgetSpec budget) {
        this.budget = budget;
    }

    BudgetSpec budget() {
        return budget;
    }

    /** The account of the call's partition in the window containing {@code now}; {@code call} may be null for a global budget. */
    public AccountRef accountFor(LlmCall call, CallScope scope, Instant now) {
        Current span = spanAt(now);
        if (budget.per() == Partition.GLOBAL) {
            return span.global;
        }
        return refOf(span.span, budget.per().keyPartOf(call, scope));
    }

    /**
     * The account of the partition that {@code charged} (an account of this budget, as a call record lists it)
     * belongs to, in the window containing {@code now}; null when {@code charged} is not of this budget or no
     * longer counts there (its window, or for a rolling window each of its buckets, is over).
     */
    public AccountRef currentAccountOf(AccountRef charged, Instant now) {
        String key = charged.key();
        int end = key.lastIndexOf('/');
        String prefix = budget.name() + "/";
        if (!charged.budget().equals(budget.name()) || !key.startsWith(prefix) || end < prefix.length()) {
            return null;
        }
        BudgetWindow.Span span = spanAt(now).span;
        String id = key.substring(end + 1);
        if (!id.equals(span.id()) && !span.earlierIds().contains(id)) {
            return null;
        }
        return refOf(span, key.substring(prefix.length(), end));
    }

    private Current spanAt(Instant now) {
        Current known = current;
        long nowMillis = now.toEpochMilli();
        // a clock set back (NTP) recomputes rather than charge a window that has not begun
        if (known != null && nowMillis < known.endsAtMillis && nowMillis >= known.fromMillis) {
            return known;
        }
        BudgetWindow.Span span = budget.window().spanAt(now);
        long endsAt = span.endsAt() == null ? Long.MAX_VALUE : span.endsAt().toEpochMilli();
        Current fresh = new Current(span, nowMillis, endsAt, refOf(span, "global"));
        current = fresh;
        return fresh;
    }

    private AccountRef refOf(BudgetWindow.Span span, String partition) {
        String prefix = budget.name() + "/" + partition + "/";
        java.util.List<String> earlier = span.earlierIds();
        if (!earlier.isEmpty()) {
            String[] keys = new String[earlier.size()];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = prefix + earlier.get(i);
            }
            earlier = java.util.List.of(keys);
        }
        return new AccountRef(budget.name(), prefix + span.id(), earlier, budget.limitMicros(),
                span.expiresAt() == null ? 0 : span.expiresAt().toEpochMilli());
    }
}
