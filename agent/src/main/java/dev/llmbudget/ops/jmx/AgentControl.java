package dev.llmbudget.ops.jmx;

import dev.llmbudget.core.HaltSwitch;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.ops.killswitch.JmxKillSwitch;

/** {@link AgentControlMXBean} over the agent's kill switches. */
public final class AgentControl implements AgentControlMXBean {
    /** The object name it is registered under. */
    public static final String OBJECT_NAME = AgentMBeans.DOMAIN + ":type=Agent";

    private final JmxKillSwitch jmx;
    private final HaltSwitch everySwitch;

    /**
     * @param jmx the switch {@link #halt} and {@link #resume} set
     * @param everySwitch every switch checked per call ({@code jmx} among them), for the attributes
     */
    public AgentControl(JmxKillSwitch jmx, HaltSwitch everySwitch) {
        this.jmx = jmx;
        this.everySwitch = everySwitch;
    }

    @Override
    public boolean isHalted() {
        return everySwitch.check() != null;
    }

    @Override
    public String getHaltReason() {
        HaltSwitch.Halt halt = everySwitch.check();
        return halt == null ? null : halt.reason();
    }

    @Override
    public void halt(String reason) {
        jmx.halt(reason);
    }

    @Override
    public void resume() {
        jmx.resume();
        HaltSwitch.Halt still = everySwitch.check();
        if (still != null) {
            AgentLog.warn("resume() on " + OBJECT_NAME + ": LLM calls stay halted by " + still.rule() + ": " + still.reason());
        }
    }

    /** What a JMX client shows for the MBean, its attributes and operations. */
    static AgentMBeans.Descriptions descriptions() {
        return new AgentMBeans.Descriptions("llm-budget-agent: the kill switch of this JVM's LLM calls")
                .attribute("Halted", "true while every LLM call is refused by halt() or by the killswitch.file existing")
                .attribute("HaltReason", "why calls are halted and by whom, as the refusals say; null while calls proceed")
                .operation("halt", "refuse every LLM call of this JVM from the next one on, until resume()",
                        "reason", "who halts and why, e.g. 'alice: runaway loop, incident 42'")
                .operation("resume", "lift halt(); the killswitch.file, while it exists, still halts");
    }
}
