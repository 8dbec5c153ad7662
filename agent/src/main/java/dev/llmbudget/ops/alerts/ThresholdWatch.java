package dev.llmbudget.ops.alerts;

import dev.llmbudget.core.Alert;
import dev.llmbudget.core.AlertSink;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.CallRecorder;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.SpendStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Raises a budget's {@code alert-at} alerts ({@code budget.<name>.alert-at}) once per threshold, window and
 * partition.
 *
 * <p>The caller's thread only marks each charged account of a watched budget dirty, in a map keyed by
 * account: calls on one account coalesce into one pending check, and nothing waits or is dropped. One daemon
 * thread ({@value #THREAD}) reads each dirty account's balance from the store (a Redis round trip for a shared
 * store), compares its settled spend with the thresholds and raises what was crossed (see
 * {@link ThresholdState}). A rolling window's buckets are one account to it (keyed by budget and partition,
 * not by bucket), re-armed when its spend is seen below a threshold again.
 *
 * <p>Each alert is first claimed in the store ({@link SpendStore#claimOnce}): on a shared store (Redis) the JVM
 * that claims a threshold first raises it and the others stay quiet; the journal keeps its claims across a
 * restart; the memory store claims nothing and leaves it to {@link ThresholdState}.
 *
 * <p>Reads only {@link CallRecord#accounts()} (matched to budgets by {@link AccountRef#budget()}, so their order
 * does not matter); a record without accounts is not watched.
 */
public final class ThresholdWatch implements CallRecorder, AutoCloseable {
    static final String THREAD = "llm-budget-agent-alerts";
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long STORE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long STORE_WARN_MILLIS = 60_000;
    private static final long TOTAL_CLAIM_MILLIS = TimeUnit.DAYS.toMillis(400);

    /**
     * A budget with thresholds.
     *
     * @param thresholdBasisPoints hundredths of a percent of the limit (8000 = 80%), sorted here
     */
    public record Watched(BudgetSpec budget, List<Integer> thresholdBasisPoints) {
        public Watched {
            thresholdBasisPoints = thresholdBasisPoints.stream().sorted().distinct().toList();
        }
    }

    private record Pending(AccountRef account, String partition, Instant callTime) {
        /** The later of two marks of one key: a rolling window's newer bucket, or the newer call. */
        static Pending later(Pending a, Pending b) {
            return b.account.expiresAtMillis() >= a.account.expiresAtMillis() ? b : a;
        }
    }

    private final SpendStore store;
    private final AlertSink sink;
    private final InstantSource clock;
    private final Map<String, Pending> dirty = new ConcurrentHashMap<>();
    private final ThresholdState state = new ThresholdState();
    private final Thread worker;
    private volatile Map<String, Watched> watched;
    private volatile boolean checking;
    private volatile boolean closed;
    private long lastStoreWarnMillis;

    private ThresholdWatch(SpendStore store, AlertSink sink, List<Watched> budgets, InstantSource clock) {
        this.store = store;
        this.sink = sink;
        this.clock = clock;
        this.watched = byName(budgets);
        this.worker = new Thread(this::run, THREAD);
        this.worker.setDaemon(true);
    }

    /** Starts the watch's thread. */
    public static ThresholdWatch start(SpendStore store, AlertSink sink, List<Watched> budgets, InstantSource clock) {
        ThresholdWatch watch = new ThresholdWatch(store, sink, budgets, clock);
        watch.worker.start();
        return watch;
    }

    /**
     * Replaces the watched budgets (a configuration reload). A budget that stays keeps what has fired in its
     * current windows, even with new thresholds or a new limit; a budget no longer watched is forgotten.
     */
    public void update(List<Watched> budgets) {
        Map<String, Watched> next = byName(budgets);
        watched = next;
        state.keepOnly(next.keySet());
    }

    @Override
    public void record(CallRecord record) {
        try {
            if (record.settledMicros() <= 0 || record.accounts().isEmpty()) {
                return;
            }
            Map<String, Watched> current = watched;
            boolean marked = false;
            for (AccountRef account : record.accounts()) {
                Watched budget = current.get(account.budget());
                if (budget != null) {
                    mark(budget.budget(), account, record);
                    marked = true;
                }
            }
            if (marked) {
                LockSupport.unpark(worker);
            }
        } catch (RuntimeException error) {
            AgentLog.once("alerts.threshold.record", AgentLog.Level.WARN,
                    "cannot watch a call's spend for alert-at thresholds: " + error, error);
        }
    }

    private void mark(BudgetSpec budget, AccountRef account, CallRecord record) {
        CallScope scope = record.scope() == null ? CallScope.NONE : record.scope();
        String partition = budget.per().label(record.call(), scope);
        String key = budget.window().kind() == BudgetWindow.Kind.ROLLING
                ? rollingKey(account)
                : account.key();
        dirty.merge(key, new Pending(account, partition, record.time()), Pending::later);
    }

    /** Stops the thread; pending checks are dropped (alerts are for the running process). */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(worker);
    }

    /** How many budgets have thresholds. */
    public int watchedCount() {
        return watched.size();
    }

    /** For tests: nothing is waiting to be checked, and no check is running. */
    boolean idle() {
        return dirty.isEmpty() && !checking;
    }

    private void run() {
        long nextSweep = 0;
        while (!closed) {
            boolean storeFailed = checkDirty();
            long now = clock.millis();
            if (now >= nextSweep) {
                state.sweep(now);
                nextSweep = now + 60_000;
            }
            if (storeFailed) {
                LockSupport.parkNanos(this, STORE_RETRY_NANOS);
            } else if (dirty.isEmpty()) {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        }
    }

    /** Checks every dirty account once; true when the store could not be read (the account stays dirty). */
    private boolean checkDirty() {
        checking = true;
        try {
            for (String key : dirty.keySet()) {
                Pending pending = dirty.remove(key);
                if (pending != null && !check(key, pending)) {
                    dirty.merge(key, pending, (newer, failed) -> Pending.later(failed, newer));
                    return true;
                }
            }
            return false;
        } finally {
            checking = false;
        }
    }

    private boolean check(String key, Pending pending) {
        Watched budget = watched.get(pending.account.budget());
        if (budget == null) {
            return true;
        }
        Balance balance;
        try {
            balance = store.balance(pending.account);
        } catch (RuntimeException error) {
            warnStore(error);
            return false;
        }
        try {
            for (Alert alert : state.check(key, budget, pending.partition, pending.callTime, balance.spentMicros(),
                    pending.account.expiresAtMillis(), clock.instant())) {
                if (store.claimOnce(claimKey(key, alert), claimTtlMillis(budget.budget(), pending.account, clock.millis()))) {
                    sink.raise(alert);
                }
            }
        } catch (RuntimeException error) {
            AgentLog.once("alerts.threshold.check", AgentLog.Level.WARN, "cannot check alert-at thresholds: " + error, error);
        }
        return true;
    }

    /**
     * The threshold's event in the store, shared by every JVM on a shared store (so a threshold crossed while
     * several JVMs spend fires once among them) and named by the limit too (a limit changed by a reload re-arms).
     */
    static String claimKey(String stateKey, Alert alert) {
        return "alert-at:" + stateKey + ':' + alert.limitMicros() + ':' + alert.thresholdBasisPoints();
    }

    /**
     * A rolling window's buckets as one: the account key ({@code <budget>/<partition>/<bucket>}, see
     * {@link dev.llmbudget.core.BudgetAccounts}) without its bucket. Keeps the account key's characters, which every
     * store can carry.
     */
    private static String rollingKey(AccountRef bucket) {
        String key = bucket.key();
        int lastSlash = key.lastIndexOf('/');
        return lastSlash > 0 ? key.substring(0, lastSlash) : key;
    }

    /**
     * How long the claim stands: a calendar or run window's account names its window, so until the account
     * expires; a rolling window's re-arms (old spend leaving it), so for one window length; a total window's never.
     */
    static long claimTtlMillis(BudgetSpec budget, AccountRef account, long nowMillis) {
        if (budget.window().kind() == BudgetWindow.Kind.ROLLING) {
            return budget.window().rolling().toMillis();
        }
        if (account.expiresAtMillis() > 0) {
            return Math.max(60_000, account.expiresAtMillis() - nowMillis);
        }
        return TOTAL_CLAIM_MILLIS;
    }

    private void warnStore(RuntimeException error) {
        long now = clock.millis();
        if (now - lastStoreWarnMillis >= STORE_WARN_MILLIS) {
            lastStoreWarnMillis = now;
            AgentLog.warn("cannot read a balance for the alert-at thresholds (" + error.getMessage()
                    + "); checked again in a second");
        }
    }

    private static Map<String, Watched> byName(List<Watched> budgets) {
        Map<String, Watched> map = new LinkedHashMap<>();
        for (Watched budget : budgets) {
            if (!budget.thresholdBasisPoints().isEmpty()) {
                map.put(budget.budget().name(), budget);
            }
        }
        return Map.copyOf(map);
    }
}
