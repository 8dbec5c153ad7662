package dev.llmbudget.ops.jmx;

import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.CallRecorder;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Partition;
import dev.llmbudget.store.AccountRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts what the agent's MBeans show, from the final record of every guarded call: calls guarded per library,
 * and per budget its calls, refusals and shadow refusals, and, for a budget split by tenant, run, API key or
 * model, the account last charged in each partition (so that a view can read their balances).
 *
 * <p>Runs on the calling thread of every guarded call: a few map look-ups and {@link LongAdder} increments,
 * and no lock. Memory is bounded: a budget keeps at most twice {@value #MAX_PARTITIONS} partitions (and shows
 * the {@value #MAX_PARTITIONS} most recently charged), however many tenants or runs come and go. Holds no
 * prompt, no key, no reference to a call. Uses no {@code javax.management}: the agent may record into it
 * without JMX.
 */
public final class CallStats implements CallRecorder {
    /** The library of a call whose interception point did not say. */
    public static final String UNKNOWN_LIBRARY = "unknown";
    /** The partitions shown per budget: the most recently charged ones. */
    static final int MAX_PARTITIONS = 1_000;

    private static final String LIMIT_PREFIX = "budget.";
    private static final String LIMIT_SUFFIX = ".limit-usd";

    private final ConcurrentHashMap<String, LongAdder> byLibrary = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, BudgetCounts> byBudget = new ConcurrentHashMap<>();
    private final int maxPartitions;
    /** The partitioned budgets by name; replaced whole by {@link #budgets}. */
    private volatile Map<String, Partitions> partitioned = Map.of();

    public CallStats() {
        this(MAX_PARTITIONS);
    }

    /** For tests: keeps {@code maxPartitions} partitions per budget. */
    CallStats(int maxPartitions) {
        this.maxPartitions = maxPartitions;
    }

    /** The counters of one budget. */
    private static final class BudgetCounts {
        final LongAdder calls = new LongAdder();
        final LongAdder refusals = new LongAdder();
        final LongAdder wouldRefusals = new LongAdder();
    }

    /**
     * The budgets configured now: which ones keep a partition table, and how each labels its partitions. A
     * budget whose {@code per} or window changed starts a new table; counters, kept by name, carry over.
     */
    public synchronized void budgets(List<BudgetSpec> budgets) {
        Map<String, Partitions> before = partitioned;
        Map<String, Partitions> next = new HashMap<>();
        for (BudgetSpec budget : budgets) {
            if (budget.per() == Partition.GLOBAL) {
                continue;
            }
            Partitions kept = before.get(budget.name());
            next.put(budget.name(), kept != null && kept.per == budget.per() && kept.window.equals(budget.window())
                    ? kept : new Partitions(budget, maxPartitions));
        }
        partitioned = Map.copyOf(next);
    }

    @Override
    public void record(CallRecord record) {
        String decision = record.decision();
        boolean sent = "allow".equals(decision) || CallRecord.WOULD_REFUSE.equals(decision);
        if (sent || "unguarded".equals(decision)) {
            LlmCall call = record.call();
            String library = call == null || call.library() == null ? UNKNOWN_LIBRARY : call.library();
            byLibrary.computeIfAbsent(library, name -> new LongAdder()).increment();
        }
        String refusedBy = budgetOfLimitKey(record.rule());
        if (refusedBy != null && "refuse".equals(decision)) {
            counts(refusedBy).refusals.increment();
        } else if (refusedBy != null && CallRecord.WOULD_REFUSE.equals(decision)) {
            counts(refusedBy).wouldRefusals.increment();
        }
        if (!sent) {
            return;
        }
        List<String> budgets = record.budgets();
        List<AccountRef> accounts = record.accounts();
        Map<String, Partitions> tables = partitioned;
        for (int i = 0; i < budgets.size(); i++) {
            String budget = budgets.get(i);
            counts(budget).calls.increment();
            Partitions table = tables.isEmpty() ? null : tables.get(budget);
            if (table != null && accounts.size() == budgets.size() && record.call() != null) {
                CallScope scope = record.scope() == null ? CallScope.NONE : record.scope();
                table.charged(table.per.label(record.call(), scope), accounts.get(i));
            }
        }
    }

    /** Calls guarded (sent: allowed, allowed in shadow, or let through unguarded) per library, by library name. */
    public Map<String, Long> callsByLibrary() {
        Map<String, Long> counts = new TreeMap<>();
        byLibrary.forEach((library, count) -> counts.put(library, count.sum()));
        return counts;
    }

    /** Calls sent (allowed, or allowed in shadow mode) that the budget named was charged for. */
    public long calls(String budget) {
        BudgetCounts counts = byBudget.get(budget);
        return counts == null ? 0 : counts.calls.sum();
    }

    /** Calls refused because the budget named could not take them. */
    public long refusals(String budget) {
        BudgetCounts counts = byBudget.get(budget);
        return counts == null ? 0 : counts.refusals.sum();
    }

    /** Calls shadow mode let through that the budget named would have refused (the first refusal of each call). */
    public long wouldRefusals(String budget) {
        BudgetCounts counts = byBudget.get(budget);
        return counts == null ? 0 : counts.wouldRefusals.sum();
    }

    /**
     * The account last charged in each partition of a partitioned budget, by partition label (e.g.
     * {@code tenant acme}), most recently charged first, at most {@link #MAX_PARTITIONS}; empty for a global
     * budget or one not configured.
     */
    public Map<String, AccountRef> partitions(String budget) {
        Partitions table = partitioned.get(budget);
        return table == null ? Map.of() : table.mostRecent();
    }

    private BudgetCounts counts(String budget) {
        BudgetCounts counts = byBudget.get(budget);
        return counts != null ? counts : byBudget.computeIfAbsent(budget, name -> new BudgetCounts());
    }

    /** The budget whose limit key {@code rule} is ({@code budget.<name>.limit-usd}), or null. */
    static String budgetOfLimitKey(String rule) {
        if (rule == null || !rule.startsWith(LIMIT_PREFIX) || !rule.endsWith(LIMIT_SUFFIX)
                || rule.length() <= LIMIT_PREFIX.length() + LIMIT_SUFFIX.length()) {
            return null;
        }
        return rule.substring(LIMIT_PREFIX.length(), rule.length() - LIMIT_SUFFIX.length());
    }

    /**
     * The accounts last charged per partition of one budget. Bounded: past twice {@code max} partitions, the
     * least recently charged are dropped down to {@code max}, by the thread that adds one (a sort of the
     * charge times, once per {@code max} new partitions; no other thread waits for it).
     */
    private static final class Partitions {
        final Partition per;
        final BudgetWindow window;
        private final int max;
        private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
        private final ReentrantLock trimming = new ReentrantLock();

        Partitions(BudgetSpec budget, int max) {
            this.per = budget.per();
            this.window = budget.window();
            this.max = max;
        }

        /** One partition's last charged account, and when (System.nanoTime) it was charged. */
        private static final class Slot {
            volatile AccountRef account;
            volatile long chargedAt;

            Slot(AccountRef account, long chargedAt) {
                this.account = account;
                this.chargedAt = chargedAt;
            }
        }

        void charged(String label, AccountRef account) {
            long now = System.nanoTime();
            Slot slot = slots.get(label);
            if (slot != null) {
                slot.account = account;
                slot.chargedAt = now;
                return;
            }
            slots.put(label, new Slot(account, now));
            if (slots.size() > 2 * max && trimming.tryLock()) {
                try {
                    trim();
                } finally {
                    trimming.unlock();
                }
            }
        }

        /** Drops all but the {@code max} most recently charged partitions (a few more when charged at the same nanosecond). */
        private void trim() {
            long[] times = new long[slots.size() + 64];
            int n = 0;
            for (Slot slot : slots.values()) {
                if (n == times.length) {
                    break;
                }
                times[n++] = slot.chargedAt;
            }
            if (n <= max) {
                return;
            }
            Arrays.sort(times, 0, n);
            long oldestKept = times[n - max];
            slots.values().removeIf(slot -> slot.chargedAt - oldestKept < 0);
        }

        /** One partition as read at one moment. */
        private record Charged(String label, AccountRef account, long at) {
        }

        /** At most {@code max}, most recently charged first. */
        Map<String, AccountRef> mostRecent() {
            List<Charged> charged = new ArrayList<>(slots.size());
            // each read once, so that charges meanwhile cannot upset the sort
            slots.forEach((label, slot) -> charged.add(new Charged(label, slot.account, slot.chargedAt)));
            charged.sort((a, b) -> Long.signum(b.at() - a.at()));
            Map<String, AccountRef> recent = new LinkedHashMap<>();
            for (Charged partition : charged) {
                if (recent.size() == max) {
                    break;
                }
                recent.put(partition.label(), partition.account());
            }
            return recent;
        }
    }
}
