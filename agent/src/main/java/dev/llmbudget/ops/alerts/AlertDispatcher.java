package dev.llmbudget.ops.alerts;

import dev.llmbudget.core.Alert;
import dev.llmbudget.core.AlertSink;
import dev.llmbudget.log.AgentLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where every alert goes: a WARN line at once ({@code ALERT <message>}), each extra sink (the MBean's
 * notifications), and the webhook's queue when {@code alerts.webhook.url} is set. Never blocks and never throws.
 */
public final class AlertDispatcher implements AlertSink {
    private final Consumer<String> warn;
    private final List<AlertSink> sinks = new CopyOnWriteArrayList<>();
    private volatile WebhookSender webhook;

    /**
     * @param webhook where alerts are POSTed, or null for none
     * @param warn where the WARN line goes ({@link AgentLog#warn} but in tests)
     */
    public AlertDispatcher(WebhookSender webhook, Consumer<String> warn) {
        this.webhook = webhook;
        this.warn = warn;
    }

    public AlertDispatcher(WebhookSender webhook) {
        this(webhook, AgentLog::warn);
    }

    /** Adds a sink called with every alert after the WARN line, e.g. a JMX notification emitter. */
    public void addSink(AlertSink sink) {
        sinks.add(sink);
    }

    /** Swaps the webhook (a reload changed {@code alerts.webhook.*}); returns the one replaced, for the caller to close. */
    WebhookSender replaceWebhook(WebhookSender next) {
        WebhookSender before = webhook;
        webhook = next;
        return before;
    }

    WebhookSender webhook() {
        return webhook;
    }

    @Override
    public void raise(Alert alert) {
        if (alert == null) {
            return;
        }
        try {
            warn.accept("ALERT " + oneLine(alert.message()));
        } catch (RuntimeException ignored) {
            // the log is best effort; the other sinks still hear of it
        }
        for (AlertSink sink : sinks) {
            try {
                sink.raise(alert);
            } catch (RuntimeException | LinkageError error) {
                AgentLog.once("alerts.sink." + sink.getClass().getName(), AgentLog.Level.WARN,
                        "an alert sink failed: " + error, error);
            }
        }
        WebhookSender target = webhook;
        if (target != null) {
            target.offer(alert);
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace('\r', ' ').replace('\n', ' ');
    }
}
