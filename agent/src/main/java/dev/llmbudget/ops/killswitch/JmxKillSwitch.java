package dev.llmbudget.ops.killswitch;

import dev.llmbudget.core.Alert;
import dev.llmbudget.core.AlertSink;
import dev.llmbudget.core.HaltSwitch;
import java.time.Instant;
import dev.llmbudget.log.AgentLog;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The halt an operator sets through the agent's MBean ({@code halt(reason)} / {@code resume()} on
 * {@code dev.llmbudget:type=Agent}): a volatile read per call. Each change is logged once at WARN.
 */
public final class JmxKillSwitch implements HaltSwitch {
    /** The rule a halt by this switch names. */
    public static final String RULE = "jmx:halt";

    private final String where;
    private final AtomicReference<Halt> halt = new AtomicReference<>();
    private volatile AlertSink alerts = AlertSink.NONE;

    /** Where halting and resuming are told, besides the log. */
    public void alertTo(AlertSink sink) {
        alerts = sink;
    }

    /** @param where the control, as the log names it, e.g. the MBean's object name */
    public JmxKillSwitch(String where) {
        this.where = where;
    }

    @Override
    public Halt check() {
        return halt.get();
    }

    /**
     * Halts every call from the next one on, until {@link #resume()}. A second halt replaces the reason.
     *
     * @param reason who halts and why, as the operator gives it; blank is allowed but says nothing
     */
    public void halt(String reason) {
        String text = reason == null ? "" : FileKillSwitch.firstLine(reason);
        Halt next = new Halt(RULE, "jmx: " + (text.isEmpty() ? "halt() without a reason" : text));
        Halt before = halt.getAndSet(next);
        if (before == null) {
            String message = "HALTED by halt() on " + where + " (" + RULE + "): every LLM call is refused until resume()."
                    + " Reason: " + next.reason();
            AgentLog.warn(message);
            alerts.raise(Alert.of(Alert.Kind.HALT, Instant.now(), RULE, null, message));
        } else if (!before.reason().equals(next.reason())) {
            AgentLog.warn("halt() on " + where + " (" + RULE + ") again: the reason is now: " + next.reason());
        }
    }

    /** Lifts this switch's halt; other kill switches (the file, the Redis key) still halt while they are on. */
    public void resume() {
        Halt before = halt.getAndSet(null);
        if (before != null) {
            String message = "RESUMED: resume() on " + where + " lifted the JMX halt (" + before.reason() + ")";
            AgentLog.warn(message);
            alerts.raise(Alert.of(Alert.Kind.RESUME, Instant.now(), RULE, null, message));
        }
    }
}
