package dev.llmbudget.ops.jmx;

import dev.llmbudget.core.BudgetAccounts;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.Partition;
import dev.llmbudget.pricing.Money;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.SpendStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link BudgetMXBean} over one budget: its configuration (replaced on a reload, see {@link #configure}), the
 * spend store's balances, read when a client asks, and the counters of {@link CallStats}, kept by name.
 */
final class BudgetView implements BudgetMXBean {
    /** How long the amounts read for one client request are reused for the next attribute read. */
    static final long READ_EVERY_NANOS = 1_000_000_000L;

    private final CallStats stats;
    private final SpendStore store;
    private final Clock clock;
    private final long readEveryNanos;
    private volatile Configured configured;
    private volatile Figures figures;

    /** The budget as configured, with the accounts it is charged to. */
    private record Configured(BudgetSpec spec, BudgetAccounts accounts) {
    }

    /**
     * The amounts read at {@code readAtNanos} for {@code of}.
     *
     * @param top the partition {@code balance} is of, null for a global budget or none charged
     */
    private record Figures(Configured of, long readAtNanos, String top, Balance balance, Map<String, Long> partitions) {
    }

    BudgetView(BudgetSpec spec, CallStats stats, SpendStore store, Clock clock, long readEveryNanos) {
        this.stats = stats;
        this.store = store;
        this.clock = clock;
        this.readEveryNanos = readEveryNanos;
        configure(spec);
    }

    /** The budget's configuration from now on (a reload); its counters carry over. */
    void configure(BudgetSpec spec) {
        configured = new Configured(spec, new BudgetAccounts(spec));
    }

    BudgetSpec spec() {
        return configured.spec();
    }

    @Override
    public long getLimitMicroUsd() {
        return spec().limitMicros();
    }

    @Override
    public String getLimit() {
        return Money.format(getLimitMicroUsd());
    }

    @Override
    public long getSpentMicroUsd() {
        return figures().balance().spentMicros();
    }

    @Override
    public long getHeldMicroUsd() {
        return figures().balance().heldMicros();
    }

    @Override
    public long getRemainingMicroUsd() {
        Figures now = figures();
        Balance balance = now.balance();
        return Math.max(0, now.of().spec().limitMicros() - balance.spentMicros() - balance.heldMicros());
    }

    @Override
    public String getSpent() {
        return Money.format(getSpentMicroUsd());
    }

    @Override
    public long getCalls() {
        return stats.calls(spec().name());
    }

    @Override
    public long getRefusals() {
        return stats.refusals(spec().name());
    }

    @Override
    public long getWouldRefusals() {
        return stats.wouldRefusals(spec().name());
    }

    @Override
    public String getWindow() {
        return spec().window().toString();
    }

    @Override
    public String getWindowEnd() {
        BudgetWindow window = spec().window();
        if (window.kind() == BudgetWindow.Kind.TOTAL || window.kind() == BudgetWindow.Kind.RUN) {
            return null;
        }
        Instant end = window.endAt(clock.instant());
        return end == null ? null : end.toString();
    }

    @Override
    public String getPer() {
        return spec().per().configName();
    }

    @Override
    public String getMode() {
        return spec().shadow() ? "shadow" : "enforce";
    }

    @Override
    public String getTopPartition() {
        return figures().top();
    }

    @Override
    public Map<String, Long> getPartitionSpentMicroUsd() {
        return figures().partitions();
    }

    /** The amounts of the current window, read from the store unless read less than {@link #readEveryNanos} ago. */
    private Figures figures() {
        Configured now = configured;
        Figures known = figures;
        long nanos = System.nanoTime();
        if (known != null && known.of() == now && nanos - known.readAtNanos() < readEveryNanos) {
            return known;
        }
        Figures fresh;
        try {
            fresh = read(now, nanos);
        } catch (RuntimeException e) {
            // the store's exception class may be unknown to a remote client: the message only
            throw new IllegalStateException("the spend of budget '" + now.spec().name() + "' cannot be read from the store: "
                    + e.getMessage());
        }
        figures = fresh;
        return fresh;
    }

    private Figures read(Configured budget, long nanos) {
        Instant now = clock.instant();
        if (budget.spec().per() == Partition.GLOBAL) {
            Balance balance = store.balance(budget.accounts().accountFor(null, CallScope.NONE, now));
            return new Figures(budget, nanos, null, balance, Map.of());
        }
        Map<String, Long> spent = new TreeMap<>();
        String top = null;
        Balance topBalance = Balance.EMPTY;
        for (Map.Entry<String, AccountRef> partition : stats.partitions(budget.spec().name()).entrySet()) {
            AccountRef account = budget.accounts().currentAccountOf(partition.getValue(), now);
            if (account == null) {
                continue; // charged in an earlier window only
            }
            Balance balance = store.balance(account);
            spent.put(partition.getKey(), balance.spentMicros());
            if (top == null || balance.spentMicros() > topBalance.spentMicros()
                    || balance.spentMicros() == topBalance.spentMicros() && balance.heldMicros() > topBalance.heldMicros()) {
                top = partition.getKey();
                topBalance = balance;
            }
        }
        return new Figures(budget, nanos, top, topBalance, Map.copyOf(spent));
    }
}
