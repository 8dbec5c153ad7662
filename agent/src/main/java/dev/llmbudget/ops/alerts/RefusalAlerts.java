package dev.llmbudget.ops.alerts;

import dev.llmbudget.config.ConfigKeys;
import dev.llmbudget.core.Alert;
import dev.llmbudget.core.AlertSink;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.CallRecorder;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.ops.killswitch.FileKillSwitch;
import dev.llmbudget.ops.killswitch.JmxKillSwitch;
import dev.llmbudget.pricing.Money;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Raises a {@link Alert.Kind#REFUSAL} alert for a refused call ({@code refuse}) and for one shadow mode let
 * through ({@code would-refuse}), at most once per rule and partition within {@code alerts.refusals.min-interval};
 * a budget's refusal ({@code budget.<name>.limit-usd}) moreover at most once per window of the budget's account.
 *
 * <p>The partition: for a budget's refusal, the budget's own ({@code per}, named as refusals name it, e.g.
 * {@code tenant acme}); for any other rule, the call's tenant ({@code tenant acme}), or none when it has no
 * tenant. So a per-run or per-key limit hit by many runs or keys of one tenant alerts once per interval.
 * Windows: a calendar window, {@code total} and {@code run} alert once per window (and never twice within the
 * interval, so a minute window refusing all day alerts once per interval); a rolling window once per its
 * duration or the interval, whichever is longer.
 *
 * <p>Kill-switch refusals ({@code killswitch.file}, {@code killswitch.redis-key}, {@code jmx:halt}) never alert
 * here: the switch alerts once when thrown. Runs on the caller's thread: a map lookup, no I/O.
 */
public final class RefusalAlerts implements CallRecorder {
    /** Rules whose refusals the kill switch reports itself. */
    static final Set<String> HALT_RULES = Set.of(FileKillSwitch.RULE, JmxKillSwitch.RULE,
            ConfigKeys.KILLSWITCH_REDIS_KEY.name());
    /** Past this many (rule, partition) marks, the ones older than their interval are dropped. */
    private static final int MAX_MARKS = 10_000;

    private record Mark(String window, long atMillis) {
    }

    private record Settings(Map<String, BudgetSpec> budgetsByRule, long minIntervalMillis) {
    }

    private final AlertSink sink;
    private final InstantSource clock;
    private final Map<String, Mark> marks = new ConcurrentHashMap<>();
    private volatile Settings settings;

    /**
     * @param budgets every configured budget (the rule of a refusal names one)
     * @param minInterval {@code alerts.refusals.min-interval}
     */
    public RefusalAlerts(AlertSink sink, List<BudgetSpec> budgets, Duration minInterval, InstantSource clock) {
        this.sink = sink;
        this.clock = clock;
        this.settings = settings(budgets, minInterval);
    }

    /** A configuration reload: a budget whose spec changed (or that is gone) may alert again at once. */
    public void update(List<BudgetSpec> budgets, Duration minInterval) {
        Settings before = settings;
        Settings next = settings(budgets, minInterval);
        settings = next;
        marks.keySet().removeIf(key -> {
            BudgetSpec old = before.budgetsByRule.get(ruleOf(key));
            return old != null && !old.equals(next.budgetsByRule.get(ruleOf(key)));
        });
    }

    @Override
    public void record(CallRecord record) {
        try {
            boolean wouldRefuse = CallRecord.WOULD_REFUSE.equals(record.decision());
            if (!wouldRefuse && !"refuse".equals(record.decision()) || record.rule() == null
                    || HALT_RULES.contains(record.rule())) {
                return;
            }
            Settings current = settings;
            Instant now = clock.instant();
            CallScope scope = record.scope() == null ? CallScope.NONE : record.scope();
            BudgetSpec budget = current.budgetsByRule.get(record.rule());
            Alert alert;
            if (budget == null) {
                String partition = scope.tenant() == null ? null : "tenant " + scope.tenant();
                if (!firstIn(record.rule(), partition, null, current.minIntervalMillis, now.toEpochMilli())) {
                    return;
                }
                alert = Alert.of(Alert.Kind.REFUSAL, now, record.rule(), partition,
                        opening(record, wouldRefuse) + record.rule() + AlertText.inParentheses(partition)
                                + (record.detail() == null ? "" : ": " + record.detail()));
            } else {
                String partition = budget.per().label(record.call(), scope);
                BudgetWindow window = budget.window();
                boolean rolling = window.kind() == BudgetWindow.Kind.ROLLING;
                long interval = rolling ? Math.max(current.minIntervalMillis, window.rolling().toMillis()) : current.minIntervalMillis;
                Instant callTime = record.time() == null ? now : record.time();
                if (!firstIn(record.rule(), partition, rolling ? null : window.idAt(callTime), interval, now.toEpochMilli())) {
                    return;
                }
                alert = budgetAlert(record, wouldRefuse, budget, partition, AlertText.windowEnd(window, callTime), now);
            }
            sink.raise(alert);
        } catch (RuntimeException error) {
            AgentLog.once("alerts.refusal.record", AgentLog.Level.WARN, "cannot alert a refusal: " + error, error);
        }
    }

    private static Alert budgetAlert(CallRecord record, boolean wouldRefuse, BudgetSpec budget, String partition,
                                     Instant windowEnd, Instant now) {
        String message = opening(record, wouldRefuse) + "budget '" + budget.name() + "'" + AlertText.inParentheses(partition)
                + " cannot take its worst-case cost under the limit of " + Money.format(budget.limitMicros())
                + " (" + record.rule() + "), " + AlertText.window(budget.window(), windowEnd);
        return new Alert(Alert.Kind.REFUSAL, now, record.rule(), budget.name(), partition, 0, budget.limitMicros(), 0,
                windowEnd, message);
    }

    private static String opening(CallRecord record, boolean wouldRefuse) {
        String model = record.call() == null || record.call().model() == null ? "an LLM" : "a " + record.call().model();
        return wouldRefuse ? "would refuse " + model + " call (shadow mode: sent anyway): "
                : "refused " + model + " call: ";
    }

    /** Whether this refusal is the first of its rule and partition in its window and interval (and marks it so). */
    private boolean firstIn(String rule, String partition, String window, long intervalMillis, long nowMillis) {
        if (marks.size() > MAX_MARKS) {
            marks.values().removeIf(mark -> nowMillis - mark.atMillis() >= intervalMillis);
        }
        boolean[] first = {false};
        marks.compute(rule + '\n' + Objects.requireNonNullElse(partition, ""), (key, mark) -> {
            boolean quiet = mark != null && (nowMillis - mark.atMillis() < intervalMillis
                    || window != null && window.equals(mark.window()));
            if (quiet) {
                return mark;
            }
            first[0] = true;
            return new Mark(window, nowMillis);
        });
        return first[0];
    }

    private static String ruleOf(String markKey) {
        return markKey.substring(0, markKey.indexOf('\n'));
    }

    private static Settings settings(List<BudgetSpec> budgets, Duration minInterval) {
        Map<String, BudgetSpec> byRule = new HashMap<>();
        for (BudgetSpec budget : budgets) {
            byRule.put(budget.limitKey(), budget);
        }
        return new Settings(Map.copyOf(byRule), minInterval.toMillis());
    }
}
