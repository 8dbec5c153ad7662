package dev.llmbudget.ops.jmx;

/**
 * The agent's control MBean, {@code dev.llmbudget:type=Agent}: the kill switch an operator reaches with
 * {@code jconsole}, {@code jmxterm} or any JMX client. An MXBean, so a client needs none of the agent's classes
 * (attributes added later, such as per-budget figures, are open types too).
 */
public interface AgentControlMXBean {
    /**
     * Whether LLM calls are refused now by a kill switch this JVM checks on every call: a {@link #halt} not yet
     * resumed, or the {@code killswitch.file} existing. (The Redis key of {@code killswitch.redis-key} is read
     * by the store when a call reserves, so it is not reflected here.)
     */
    boolean isHalted();

    /** Why calls are halted and by whom, as the refusals give it; null while calls proceed. */
    String getHaltReason();

    /** Refuses every LLM call of this JVM from the next one on, in every thread, until {@link #resume()}. */
    void halt(String reason);

    /** Lifts a {@link #halt}; the kill switch file, while it exists, still halts. */
    void resume();
}
