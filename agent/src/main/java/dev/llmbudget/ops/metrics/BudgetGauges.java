package dev.llmbudget.ops.metrics;

import dev.llmbudget.core.BudgetAccounts;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.Partition;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.SpendStore;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Each configured budget's limit, and its spend, holds and what remains in the current window, read from the spend
 * store when Prometheus scrapes: every JVM's spend with a shared store, as the guard sees it when it decides.
 *
 * <p>One collector for the four gauges so that a scrape reads each budget's balance once, through the same
 * {@link BudgetAccounts} the guard charges (the current window's account, with the older buckets a rolling window
 * counts).
 *
 * <p>A budget split by tenant, run, API key or model ({@code per}) shows its limit only: its spend lives in one
 * account per partition, and a label per tenant or key would grow without bound (and name tenants and keys to
 * whoever can scrape). Its partitions' spend is in the ledger, the {@code spend} command and the budget's MBean.
 *
 * <p>A store that cannot be read (Redis away) must not fail the scrape: the amounts are left out of it, the limits
 * stay, and the first failure is logged once. The first failure also ends the reads of that scrape, so that an
 * unreachable store costs one timeout per scrape, not one per budget.
 */
final class BudgetGauges implements MultiCollector {
    static final String LIMIT = "llm_budget_budget_limit_usd";
    static final String SPENT = "llm_budget_budget_spent_usd";
    static final String HELD = "llm_budget_budget_held_usd";
    static final String REMAINING = "llm_budget_budget_remaining_usd";

    private final SpendStore store;
    private final Clock clock;
    private volatile List<Watched> budgets;

    /** A budget as configured, with the accounts it is charged to. */
    private record Watched(BudgetSpec spec, BudgetAccounts accounts) {
    }

    BudgetGauges(SpendStore store, Clock clock, List<BudgetSpec> budgets) {
        this.store = store;
        this.clock = clock;
        update(budgets);
    }

    /** The budgets configured from now on (a reload): the next scrape shows these, and no longer those gone. */
    void update(List<BudgetSpec> configured) {
        List<Watched> next = new ArrayList<>();
        for (BudgetSpec budget : configured) {
            next.add(new Watched(budget, new BudgetAccounts(budget)));
        }
        budgets = List.copyOf(next);
    }

    @Override
    public MetricSnapshots collect() {
        try {
            return read();
        } catch (RuntimeException broken) {
            // whatever went wrong here, the calls' metrics are still worth the scrape
            AgentLog.once("metrics:budgets", AgentLog.Level.WARN, "metrics: the budgets' gauges could not be read;"
                    + " scrapes leave them out (said once)", broken);
            return new MetricSnapshots();
        }
    }

    private MetricSnapshots read() {
        Instant now = clock.instant();
        GaugeSnapshot.Builder limit = GaugeSnapshot.builder().name(LIMIT)
                .help("budget.<name>.limit-usd, USD");
        GaugeSnapshot.Builder spent = GaugeSnapshot.builder().name(SPENT)
                .help("Settled spend in the budget's current window, USD, from the spend store (every JVM sharing it); global budgets only");
        GaugeSnapshot.Builder held = GaugeSnapshot.builder().name(HELD)
                .help("Spend held by calls in flight in the budget's current window, USD; global budgets only");
        GaugeSnapshot.Builder remaining = GaugeSnapshot.builder().name(REMAINING)
                .help("What calls may still reserve in the current window: limit - spent - held, at least 0, USD; global budgets only");
        boolean limits = false;
        boolean amounts = false;
        boolean storeReadable = true;
        for (Watched budget : budgets) {
            BudgetSpec spec = budget.spec();
            Labels labels = Labels.of("budget", spec.name());
            limit.dataPoint(point(spec.limitMicros(), labels));
            limits = true;
            if (spec.per() != Partition.GLOBAL || !storeReadable) {
                continue;
            }
            Balance balance;
            try {
                balance = store.balance(budget.accounts().accountFor(null, CallScope.NONE, now));
            } catch (RuntimeException unreadable) {
                storeReadable = false;
                AgentLog.once("metrics:store", AgentLog.Level.WARN, "metrics: the budgets' spend cannot be read from the store ("
                        + unreadable.getClass().getName() + ": " + unreadable.getMessage() + "); scrapes leave out " + SPENT
                        + ", " + HELD + " and " + REMAINING + " while it cannot (said once)", null);
                continue;
            }
            spent.dataPoint(point(balance.spentMicros(), labels));
            held.dataPoint(point(balance.heldMicros(), labels));
            remaining.dataPoint(point(Math.max(0, spec.limitMicros() - balance.spentMicros() - balance.heldMicros()), labels));
            amounts = true;
        }
        List<MetricSnapshot> snapshots = new ArrayList<>(4);
        if (limits) {
            snapshots.add(limit.build());
        }
        if (amounts) {
            snapshots.add(spent.build());
            snapshots.add(held.build());
            snapshots.add(remaining.build());
        }
        return new MetricSnapshots(snapshots);
    }

    private static GaugeDataPointSnapshot point(long micros, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(Usd.of(micros)).labels(labels).build();
    }
}
