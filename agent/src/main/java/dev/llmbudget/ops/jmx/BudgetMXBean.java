package dev.llmbudget.ops.jmx;

import java.util.Map;

/**
 * One configured budget, {@code dev.llmbudget:type=Budget,name=<budget>}: its limit, what is spent and held
 * in the current window, and how many calls it took, refused or would have refused. An MXBean: every
 * attribute is an open type, so a client needs none of the agent's classes.
 *
 * <p>Amounts are read from the spend store when asked (at most about once a second; a read within that
 * gets the same figures), so with a shared store they include every JVM's spend. Call counts are this
 * JVM's since it started. For a budget split by tenant, run, API key or model ({@code per}), the figures
 * are those of the partitions this JVM has charged in the current window: {@link #getPartitionSpentMicroUsd}
 * lists them, and spent, held and remaining are those of the one that has spent the most,
 * {@link #getTopPartition}.
 */
public interface BudgetMXBean {
    /** {@code budget.<name>.limit-usd} in micro-USD. */
    long getLimitMicroUsd();

    /** The limit as USD text, e.g. {@code $25.00}. */
    String getLimit();

    /** Settled spend in the current window, micro-USD (of the top partition for a partitioned budget). */
    long getSpentMicroUsd();

    /** Spend held by calls in flight in the current window, micro-USD (of the top partition for a partitioned budget). */
    long getHeldMicroUsd();

    /** What calls may still reserve: limit − spent − held, never below 0 (of the top partition for a partitioned budget). */
    long getRemainingMicroUsd();

    /** The spend as USD text, e.g. {@code $3.20}. */
    String getSpent();

    /** Calls this JVM sent that the budget was charged for (allowed, or allowed in shadow mode). */
    long getCalls();

    /** Calls this JVM refused because the budget could not take them. */
    long getRefusals();

    /** Calls this JVM sent in shadow mode that the budget would have refused. */
    long getWouldRefusals();

    /** The window as configured, e.g. {@code day (Europe/Paris)}, {@code rolling 24h}, {@code total}. */
    String getWindow();

    /**
     * When the current window ends and spend starts again from zero, ISO-8601; for a rolling window when its
     * current bucket ends (spend older than the window leaves it then); null for {@code total} and {@code run}.
     */
    String getWindowEnd();

    /** How the budget is split: {@code global}, {@code tenant}, {@code task}, {@code api-key} or {@code model}. */
    String getPer();

    /** {@code enforce}, or {@code shadow} when its refusals are only recorded. */
    String getMode();

    /** For a partitioned budget, the partition whose figures spent, held and remaining are; null for a global budget or none charged. */
    String getTopPartition();

    /**
     * For a partitioned budget, settled spend in the current window of each partition this JVM has charged in
     * it (at most the 1,000 most recently charged), by partition, e.g. {@code tenant acme}; empty for a global budget.
     */
    Map<String, Long> getPartitionSpentMicroUsd();
}
