package dev.llmbudget.ops.killswitch;

import dev.llmbudget.config.AgentConfig;
import dev.llmbudget.core.HaltSwitch;

/** The kill switches the configuration asks for ({@code killswitch.file}, the JMX MBean), as one {@link HaltSwitch}. */
public final class KillSwitches {
    private KillSwitches() {
    }

    // TODO(issue 6): file and JMX switches
    public static HaltSwitch from(AgentConfig config) {
        return HaltSwitch.NONE;
    }
}
