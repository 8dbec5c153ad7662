package dev.llmbudget.ops.alerts;

import dev.llmbudget.core.Alert;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.pricing.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which {@code alert-at} thresholds have fired, per budget, partition and window. Touched by the watch's one
 * thread, except {@link #keepOnly} (a configuration reload).
 *
 * <p>The state of an account is the highest threshold its settled spend was last seen at or above. A check
 * fires every threshold above that state and at or under the spend now, ascending, and then sets the state to
 * what the spend reaches now: spend seen below a threshold again (a rolling window letting old spend go, a
 * limit raised by a reload) re-arms it. Calendar windows are keyed by account key, which names the window,
 * so a new window starts with nothing fired.
 */
final class ThresholdState {
    private record Fired(String budget, int basisPoints, long expiresAtMillis) {
    }

    private final Map<String, Fired> fired = new ConcurrentHashMap<>();

    /**
     * The alerts a check of one account raises, ascending.
     *
     * @param key the account's state key (see {@link ThresholdWatch})
     * @param spentMicros the account's settled spend now
     * @param expiresAtMillis when the account's spend stops counting (0: never), after which its state is dropped
     */
    List<Alert> check(String key, ThresholdWatch.Watched watched, String partition, Instant callTime,
                      long spentMicros, long expiresAtMillis, Instant now) {
        BudgetSpec budget = watched.budget();
        Fired before = fired.get(key);
        int previous = before == null ? 0 : before.basisPoints();
        int reached = 0;
        List<Alert> alerts = new ArrayList<>(1);
        for (int basisPoints : watched.thresholdBasisPoints()) {
            if (spentMicros < AlertText.share(budget.limitMicros(), basisPoints)) {
                break;
            }
            reached = basisPoints;
            if (basisPoints > previous) {
                alerts.add(alert(budget, partition, callTime, spentMicros, basisPoints, now));
            }
        }
        if (reached == 0) {
            fired.remove(key);
        } else if (reached != previous || before.expiresAtMillis() != expiresAtMillis) {
            fired.put(key, new Fired(budget.name(), reached, expiresAtMillis));
        }
        return alerts;
    }

    /** Forgets the budgets no longer watched; the others keep what has fired. */
    void keepOnly(Set<String> budgets) {
        fired.values().removeIf(state -> !budgets.contains(state.budget()));
    }

    /** Drops the state of accounts whose spend no longer counts anywhere. */
    void sweep(long nowMillis) {
        fired.values().removeIf(state -> state.expiresAtMillis() != 0 && state.expiresAtMillis() <= nowMillis);
    }

    int size() {
        return fired.size();
    }

    private static Alert alert(BudgetSpec budget, String partition, Instant callTime, long spentMicros, int basisPoints,
                               Instant now) {
        Instant windowEnd = AlertText.windowEnd(budget.window(), callTime);
        String message = "budget '" + budget.name() + "'" + AlertText.inParentheses(partition) + " reached "
                + AlertText.percent(basisPoints) + "% of " + Money.format(budget.limitMicros()) + ": spent "
                + Money.format(spentMicros) + ", " + AlertText.window(budget.window(), windowEnd);
        return new Alert(Alert.Kind.THRESHOLD, now, "budget." + budget.name() + ".alert-at", budget.name(), partition,
                spentMicros, budget.limitMicros(), basisPoints, windowEnd, message);
    }
}
