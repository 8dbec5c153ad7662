package dev.llmbudget.ops.killswitch;

import dev.llmbudget.config.AgentConfig;
import dev.llmbudget.config.ConfigKeys;
import dev.llmbudget.core.HaltSwitch;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.ops.jmx.AgentControl;
import dev.llmbudget.ops.jmx.AgentMBeans;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The kill switches the configuration asks for ({@code killswitch.file}, the JMX MBean's {@code halt}), as
 * one {@link HaltSwitch}: the first switch that halts gives the halt, the JMX one first. (The Redis key of
 * {@code killswitch.redis-key} is not among them: the store's reserve script checks it, saving a round trip.)
 */
public final class KillSwitches implements HaltSwitch {
    private final HaltSwitch[] switches;

    private KillSwitches(List<HaltSwitch> switches) {
        this.switches = switches.toArray(new HaltSwitch[0]);
    }

    /**
     * The switches of this configuration. With {@code jmx.enabled} (the default) the control MBean
     * {@code dev.llmbudget:type=Agent} is registered on the platform MBeanServer on a thread of its own: starting
     * the platform's MBeans takes a few hundred milliseconds of CPU, which neither the JVM's start nor the first
     * LLM call (waiting for the agent's wiring) should wait for. The JMX switch is asked from the start; until
     * the MBean is reachable nobody can set it. If registration fails (the name is taken, say by a second agent
     * in this JVM) one WARN says so and the other switches work as configured. Logs at WARN if the file halts
     * already, or if its folder is missing or cannot be searched (the file could never be seen there).
     */
    public static HaltSwitch from(AgentConfig config) {
        return from(config, KillSwitches::inBackground);
    }

    /** As {@link #from(AgentConfig)}, registering the MBean through {@code registrar} (tests: {@code Runnable::run}). */
    static HaltSwitch from(AgentConfig config, Consumer<Runnable> registrar) {
        HaltSwitch all = build(config);
        JmxKillSwitch jmxSwitch = jmxSwitchOf(all);
        if (jmxSwitch != null) {
            registrar.accept(() -> register(jmxSwitch, all));
        }
        return all;
    }

    /**
     * The switches of this configuration, registering nothing: the caller that shows more than the kill switch on
     * the control MBean registers it (see {@link #jmxSwitchOf}). Logs at WARN as {@link #from(AgentConfig)} does.
     */
    public static HaltSwitch build(AgentConfig config) {
        Path file = config.path(ConfigKeys.KILLSWITCH_FILE);
        FileKillSwitch fileSwitch = file == null ? null : new FileKillSwitch(file);
        if (fileSwitch != null) {
            fileSwitch.warnIfUnreachable();
        }
        boolean jmx = Boolean.parseBoolean(config.text(ConfigKeys.JMX_ENABLED));
        HaltSwitch all = of(jmx ? new JmxKillSwitch(AgentControl.OBJECT_NAME) : null, fileSwitch);
        all.check(); // a file already there is logged now, not at the first call
        return all;
    }

    /** The JMX switch among {@code switches} (as built here), or null when {@code jmx.enabled=false}. */
    public static JmxKillSwitch jmxSwitchOf(HaltSwitch switches) {
        for (HaltSwitch each : switches instanceof KillSwitches all ? all.switches : new HaltSwitch[] {switches}) {
            if (each instanceof JmxKillSwitch jmx) {
                return jmx;
            }
        }
        return null;
    }

    /**
     * The switches of a reloaded configuration: the JMX switch of {@code running} (its halt, if any, stays in
     * force), and the file switch of {@code config}, the running one kept if the path did not change.
     */
    public static HaltSwitch reconfigured(AgentConfig config, HaltSwitch running) {
        JmxKillSwitch jmxSwitch = null;
        FileKillSwitch fileSwitch = null;
        for (HaltSwitch each : running instanceof KillSwitches all ? all.switches : new HaltSwitch[] {running}) {
            if (each instanceof JmxKillSwitch jmx) {
                jmxSwitch = jmx;
            } else if (each instanceof FileKillSwitch file) {
                fileSwitch = file;
            }
        }
        Path file = config.path(ConfigKeys.KILLSWITCH_FILE);
        if (file == null) {
            fileSwitch = null;
        } else if (fileSwitch == null || !fileSwitch.path().equals(file)) {
            fileSwitch = new FileKillSwitch(file);
            fileSwitch.warnIfUnreachable();
        }
        HaltSwitch all = of(jmxSwitch, fileSwitch);
        all.check();
        return all;
    }

    /** Tells halting and resuming by any of {@code switches} (as built here) to {@code sink}, besides the log. */
    public static void alertTo(HaltSwitch switches, dev.llmbudget.core.AlertSink sink) {
        for (HaltSwitch each : switches instanceof KillSwitches all ? all.switches : new HaltSwitch[] {switches}) {
            if (each instanceof JmxKillSwitch jmx) {
                jmx.alertTo(sink);
            } else if (each instanceof FileKillSwitch file) {
                file.alertTo(sink);
            }
        }
    }

    /** The given switches, nulls skipped, as one; {@link HaltSwitch#NONE} when there are none. */
    public static HaltSwitch of(HaltSwitch... switches) {
        List<HaltSwitch> present = new ArrayList<>();
        for (HaltSwitch halt : switches) {
            if (halt != null) {
                present.add(halt);
            }
        }
        return present.isEmpty() ? HaltSwitch.NONE : present.size() == 1 ? present.get(0) : new KillSwitches(present);
    }

    @Override
    public Halt check() {
        for (HaltSwitch halt : switches) {
            Halt on = halt.check();
            if (on != null) {
                return on;
            }
        }
        return null;
    }

    private static void register(JmxKillSwitch jmxSwitch, HaltSwitch all) {
        try {
            AgentMBeans.registerAgentControl(new AgentControl(jmxSwitch, all));
        } catch (LinkageError noJavaManagement) {
            // a runtime image without the java.management module
            AgentLog.warn("jmx.enabled=true but this JVM has no JMX (" + noJavaManagement
                    + "); the MBean " + AgentControl.OBJECT_NAME + " is not registered. Set jmx.enabled=false to silence this.");
        }
    }

    private static void inBackground(Runnable registration) {
        Thread thread = new Thread(registration, "llm-budget-agent-jmx");
        thread.setDaemon(true);
        thread.start();
    }
}
