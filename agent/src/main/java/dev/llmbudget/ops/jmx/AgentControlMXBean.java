package dev.llmbudget.ops.jmx;

import java.util.Map;

/**
 * The agent's control MBean, {@code dev.llmbudget:type=Agent}: the kill switch, the configuration's reload and
 * the agent's state, as an operator reaches them with {@code jconsole}, {@code jmxterm} or any JMX client. An
 * MXBean, so a client needs none of the agent's classes. It also emits each alert as a notification of type
 * {@code dev.llmbudget.alert.<kind>} (threshold, refusal, circuit-open, halt, resume). Each budget has an
 * MBean of its own, {@code dev.llmbudget:type=Budget,name=<budget>} ({@link BudgetMXBean}).
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

    /** {@code enforce}, or {@code shadow} when refusals are only recorded ({@code mode}). */
    String getMode();

    /** The configuration file in force, or null when none was found (defaults and overrides only). */
    String getConfigFile();

    /** When the configuration was last reloaded, ISO-8601, or null if it never was. */
    String getLastReload();

    /** What the last reload did: {@code applied: ...} or {@code rejected: <first problem>}; null if it never ran. */
    String getLastReloadResult();

    /**
     * Calls this JVM guarded (sent: allowed, allowed in shadow mode, or let through unguarded after an internal
     * error) per library they were made through: {@code openai-sdk}, {@code anthropic-sdk}, {@code langchain4j},
     * {@code jdk-http-client}, {@code okhttp}, or {@code unknown}.
     */
    Map<String, Long> getCallsByLibrary();

    /** Reads the configuration file again and applies it if valid, as a change of the file would; says what it did. */
    String reload();
}
