package dev.llmbudget.ops.jmx;

import dev.llmbudget.core.Alert;
import dev.llmbudget.core.AlertSink;
import dev.llmbudget.core.HaltSwitch;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.ops.killswitch.JmxKillSwitch;
import java.time.Instant;
import java.util.Map;

/**
 * {@link AgentControlMXBean} over the agent's kill switches, its {@link AgentStatus} and its {@link CallStats};
 * and the {@link AlertSink} that emits each alert as a JMX notification of the MBean once it is registered
 * (before that, and without JMX, alerts pass it by). Uses no {@code javax.management} itself, so the runtime
 * may build it, and send it alerts, on a JVM without JMX.
 */
public final class AgentControl implements AgentControlMXBean, AlertSink {
    /** The object name it is registered under. */
    public static final String OBJECT_NAME = AgentMBeans.DOMAIN + ":type=Agent";

    private final JmxKillSwitch jmx;
    private final AgentStatus status;
    private final CallStats stats;
    /** Where alerts go: the MBean's notifications once registered. */
    private volatile AlertSink notifications = AlertSink.NONE;

    /**
     * @param jmx the switch {@link #halt} and {@link #resume} set: the same one for the JVM's life (a reload keeps
     *     it among {@link AgentStatus#halts()}), so that a reload never lifts an operator's halt
     * @param status the running agent, for the attributes and {@link #reload()}
     * @param stats the counters the guarded calls' records feed
     */
    public AgentControl(JmxKillSwitch jmx, AgentStatus status, CallStats stats) {
        this.jmx = jmx;
        this.status = status;
        this.stats = stats;
    }

    /**
     * A control over the kill switches only: no mode, configuration or reload to show, no calls counted.
     *
     * @param everySwitch every switch checked per call ({@code jmx} among them), for the attributes
     */
    public AgentControl(JmxKillSwitch jmx, HaltSwitch everySwitch) {
        this(jmx, AgentStatus.of(everySwitch), new CallStats());
    }

    @Override
    public boolean isHalted() {
        return status.halts().check() != null;
    }

    @Override
    public String getHaltReason() {
        HaltSwitch.Halt halt = status.halts().check();
        return halt == null ? null : halt.reason();
    }

    @Override
    public void halt(String reason) {
        jmx.halt(reason);
    }

    @Override
    public void resume() {
        jmx.resume();
        HaltSwitch.Halt still = status.halts().check();
        if (still != null) {
            AgentLog.warn("resume() on " + OBJECT_NAME + ": LLM calls stay halted by " + still.rule() + ": " + still.reason());
        }
    }

    @Override
    public String getMode() {
        return status.mode();
    }

    @Override
    public String getConfigFile() {
        return status.configFile();
    }

    @Override
    public String getLastReload() {
        Instant at = status.lastReload();
        return at == null ? null : at.toString();
    }

    @Override
    public String getLastReloadResult() {
        return status.lastReloadResult();
    }

    @Override
    public Map<String, Long> getCallsByLibrary() {
        return stats.callsByLibrary();
    }

    @Override
    public String reload() {
        AgentLog.info("reload() on " + OBJECT_NAME + ": reading the configuration again");
        try {
            return status.reload();
        } catch (RuntimeException e) {
            // the runtime's exception class may be unknown to a remote client: say it in the answer
            AgentLog.warn("reload() on " + OBJECT_NAME + " failed: " + e);
            return "failed: " + e;
        }
    }

    /** Emits the alert as a notification of the MBean, if registered; returns at once and never throws. */
    @Override
    public void raise(Alert alert) {
        try {
            notifications.raise(alert);
        } catch (RuntimeException | LinkageError e) {
            AgentLog.once("jmx.notification", AgentLog.Level.WARN, "an alert cannot be sent as a JMX notification of "
                    + OBJECT_NAME + " (" + e + "); alerts reach the log and the webhook as configured", null);
        }
    }

    /** From now on alerts go to {@code sink} (the registered MBean's notifications). */
    void notifyThrough(AlertSink sink) {
        notifications = sink;
    }

    /** What a JMX client shows for the MBean, its attributes and operations. */
    static AgentMBeans.Descriptions descriptions() {
        return new AgentMBeans.Descriptions("llm-budget-agent: the kill switch, configuration and calls of this JVM's"
                + " LLM guard; each alert is a notification of type " + AlertNotifications.TYPE_PREFIX + "<kind>")
                .attribute("Halted", "true while every LLM call is refused by halt() or by the killswitch.file existing")
                .attribute("HaltReason", "why calls are halted and by whom, as the refusals say; null while calls proceed")
                .attribute("Mode", "enforce, or shadow when refusals are only recorded (would-refuse) and calls are sent")
                .attribute("ConfigFile", "the configuration file in force; null when none was found (defaults and overrides only)")
                .attribute("LastReload", "when the configuration was last reloaded (ISO-8601); null if it never was")
                .attribute("LastReloadResult", "what the last reload did: 'applied: ...' or 'rejected: <first problem>'")
                .attribute("CallsByLibrary", "calls this JVM sent (allowed, allowed in shadow mode, or unguarded) since it"
                        + " started, per library they were made through; 'unknown' when the library was not told")
                .operation("halt", "refuse every LLM call of this JVM from the next one on, until resume()",
                        "reason", "who halts and why, e.g. 'alice: runaway loop, incident 42'")
                .operation("resume", "lift halt(); the killswitch.file, while it exists, still halts")
                .operation("reload", "read the configuration file again and apply it if it is valid (a broken one is"
                        + " rejected and the one in force stays); returns what it did");
    }
}
