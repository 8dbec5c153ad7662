package dev.llmbudget.ops.jmx;

import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.store.SpendStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One MBean per configured budget, {@code dev.llmbudget:type=Budget,name=<budget>} ({@link BudgetMXBean}), kept in
 * step with the configuration: {@link #update} on a reload unregisters the budgets that are gone, registers the
 * new ones and gives the others their new settings (their counters, kept by name in {@link CallStats}, carry
 * over).
 *
 * <p>Nothing is registered before {@link #register()}, which the runtime calls off the JVM's start path (the
 * thread that registers the control MBean); {@link #update} before that only remembers the budgets. This class
 * uses no {@code javax.management} itself: on a JVM without JMX, {@link #update} works and {@link #register()}
 * logs one WARN and registers nothing, now or on later updates.
 */
public final class BudgetMBeans {
    /** The object name's {@code type} of a budget's MBean. */
    public static final String TYPE = "Budget";

    private final CallStats stats;
    private final SpendStore store;
    private final Clock clock;
    private final long readEveryNanos;
    /** The configured budgets' views, by name, in configuration order. */
    private final Map<String, BudgetView> views = new LinkedHashMap<>();
    /** The names whose MBean this registered. */
    private final Set<String> registered = new HashSet<>();
    private boolean registering;

    /**
     * @param budgets the budgets configured now (not the burn-rate limit)
     * @param stats the counters the guarded calls' records feed (the same as the control MBean's)
     * @param store the spend store the guard charges, read when a client reads an amount
     * @param clock the guard's clock: which window is current
     */
    public BudgetMBeans(List<BudgetSpec> budgets, CallStats stats, SpendStore store, Clock clock) {
        this(budgets, stats, store, clock, BudgetView.READ_EVERY_NANOS);
    }

    /** For tests: amounts read again after {@code readEveryNanos} (0: on every attribute read). */
    BudgetMBeans(List<BudgetSpec> budgets, CallStats stats, SpendStore store, Clock clock, long readEveryNanos) {
        this.stats = stats;
        this.store = store;
        this.clock = clock;
        this.readEveryNanos = readEveryNanos;
        update(budgets);
    }

    /** The object name of a budget's MBean. */
    public static String objectName(String budget) {
        return AgentMBeans.DOMAIN + ":type=" + TYPE + ",name=" + AgentMBeans.propertyValue(budget);
    }

    /**
     * The budgets configured from now on (a reload): the MBeans of budgets gone are unregistered, those of new
     * ones registered (once {@link #register()} was called), the others see the new settings at once.
     */
    public synchronized void update(List<BudgetSpec> budgets) {
        stats.budgets(budgets);
        Map<String, BudgetSpec> next = new LinkedHashMap<>();
        for (BudgetSpec budget : budgets) {
            next.put(budget.name(), budget);
        }
        views.keySet().retainAll(next.keySet());
        for (BudgetSpec budget : next.values()) {
            BudgetView view = views.get(budget.name());
            if (view == null) {
                views.put(budget.name(), new BudgetView(budget, stats, store, clock, readEveryNanos));
            } else {
                view.configure(budget);
            }
        }
        if (registering) {
            registerAsConfigured();
        }
    }

    /** Registers every configured budget's MBean, and from now on those {@link #update} adds. */
    public synchronized void register() {
        registering = true;
        registerAsConfigured();
    }

    /** Unregisters every budget's MBean this registered, and registers none until {@link #register()} (tests). */
    public synchronized void unregister() {
        registering = false;
        for (String budget : registered) {
            AgentMBeans.unregister(objectName(budget));
        }
        registered.clear();
    }

    /** The names of the budgets whose MBean is registered, in no order. */
    synchronized Set<String> registered() {
        return Set.copyOf(registered);
    }

    private void registerAsConfigured() {
        try {
            syncRegistrations();
        } catch (LinkageError noJavaManagement) {
            // a runtime image without the java.management module: said once, and never tried again
            registering = false;
            AgentLog.warn("this JVM has no JMX (" + noJavaManagement + "); the budgets' MBeans are not registered."
                    + " Set jmx.enabled=false to silence this.");
        }
    }

    private void syncRegistrations() {
        for (String budget : new ArrayList<>(registered)) {
            if (!views.containsKey(budget)) {
                AgentMBeans.unregister(objectName(budget));
                registered.remove(budget);
            }
        }
        for (Map.Entry<String, BudgetView> view : views.entrySet()) {
            if (!registered.contains(view.getKey()) && AgentMBeans.register(objectName(view.getKey()), view.getValue(),
                    BudgetMXBean.class, descriptions(view.getKey()))) {
                registered.add(view.getKey());
            }
        }
    }

    /** What a JMX client shows for a budget's MBean. */
    private static AgentMBeans.Descriptions descriptions(String budget) {
        String ofTop = " (for a partitioned budget: of TopPartition)";
        return new AgentMBeans.Descriptions("llm-budget-agent: budget '" + budget + "' in its current window. Amounts are"
                + " read from the spend store (at most once a second), every JVM's spend with a shared store; counts are"
                + " this JVM's. A budget split by tenant, run, API key or model (Per) shows the partitions this JVM has"
                + " charged in the current window: PartitionSpentMicroUsd lists them, and Spent, Held and Remaining are"
                + " those of TopPartition, the one that spent the most.")
                .attribute("LimitMicroUsd", "budget." + budget + ".limit-usd in micro-USD (1,000,000 = $1)")
                .attribute("Limit", "budget." + budget + ".limit-usd in USD")
                .attribute("SpentMicroUsd", "settled spend in the current window, micro-USD" + ofTop)
                .attribute("HeldMicroUsd", "spend held by calls in flight in the current window, micro-USD" + ofTop)
                .attribute("RemainingMicroUsd", "what calls may still reserve: limit - spent - held, at least 0, micro-USD" + ofTop)
                .attribute("Spent", "settled spend in the current window, USD" + ofTop)
                .attribute("Calls", "calls this JVM sent that the budget was charged for (allowed, or allowed in shadow mode)")
                .attribute("Refusals", "calls this JVM refused because this budget could not take them")
                .attribute("WouldRefusals", "calls this JVM sent in shadow mode that this budget would have refused")
                .attribute("Window", "budget." + budget + ".window as configured (with its zone)")
                .attribute("WindowEnd", "when the current window ends and spend starts from zero (ISO-8601); for a rolling"
                        + " window, when its current bucket ends; null for total and run")
                .attribute("Per", "budget." + budget + ".per: global, tenant, task, api-key or model")
                .attribute("Mode", "enforce, or shadow when this budget's refusals are only recorded")
                .attribute("TopPartition", "for a partitioned budget, the partition this JVM charged in the current window"
                        + " that spent the most, whose figures Spent, Held and Remaining are; null for a global budget")
                .attribute("PartitionSpentMicroUsd", "for a partitioned budget, settled spend in the current window of each"
                        + " partition this JVM charged in it (the 1,000 most recently charged), micro-USD; empty for a global budget");
    }
}
