package dev.llmbudget.ops.jmx;

import dev.llmbudget.core.Alert;
import dev.llmbudget.core.AlertSink;
import dev.llmbudget.log.AgentLog;
import java.util.HashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.MalformedObjectNameException;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

/**
 * The notifications of the control MBean: one per alert, of type {@code dev.llmbudget.alert.<kind>}, its
 * message the alert's, its user data a {@code HashMap<String, String>} of the alert's fields (those set).
 *
 * <p>{@link #raise} runs on the thread that raised the alert, often one making an LLM call: it builds the
 * notification and queues one delivery per subscribed listener; a daemon thread of its own, started on the
 * first delivery and gone after a minute idle, calls the listeners. When {@value #QUEUE} deliveries wait
 * (a listener that hangs), further ones are dropped, with one WARN.
 */
final class AlertNotifications extends NotificationBroadcasterSupport implements AlertSink {
    static final String TYPE_PREFIX = "dev.llmbudget.alert.";
    static final int QUEUE = 1_000;

    private final ObjectName source;
    private final AtomicLong sequence = new AtomicLong();

    AlertNotifications(String objectName) throws MalformedObjectNameException {
        super(deliveries(), info());
        this.source = new ObjectName(objectName);
    }

    @Override
    public void raise(Alert alert) {
        Notification notification = new Notification(TYPE_PREFIX + alert.kind().label(), source,
                sequence.incrementAndGet(), alert.time() == null ? System.currentTimeMillis() : alert.time().toEpochMilli(),
                alert.message());
        notification.setUserData(fields(alert));
        sendNotification(notification);
    }

    /** The alert's fields that are set, as text: a type every JMX client has. */
    static HashMap<String, String> fields(Alert alert) {
        HashMap<String, String> fields = new HashMap<>();
        fields.put("kind", alert.kind().label());
        put(fields, "time", alert.time());
        put(fields, "rule", alert.rule());
        put(fields, "budget", alert.budget());
        put(fields, "partition", alert.partition());
        if (alert.spentMicros() != 0 || alert.limitMicros() != 0) {
            fields.put("spentMicros", Long.toString(alert.spentMicros()));
            fields.put("limitMicros", Long.toString(alert.limitMicros()));
        }
        if (alert.thresholdBasisPoints() != 0) {
            fields.put("thresholdBasisPoints", Integer.toString(alert.thresholdBasisPoints()));
        }
        put(fields, "windowEnd", alert.windowEnd());
        put(fields, "message", alert.message());
        return fields;
    }

    private static void put(HashMap<String, String> fields, String name, Object value) {
        if (value != null) {
            fields.put(name, value.toString());
        }
    }

    private static MBeanNotificationInfo[] info() {
        Alert.Kind[] kinds = Alert.Kind.values();
        String[] types = new String[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            types[i] = TYPE_PREFIX + kinds[i].label();
        }
        return new MBeanNotificationInfo[] {new MBeanNotificationInfo(types, Notification.class.getName(),
                "an alert: a budget's alert-at threshold crossed, a call refused, a circuit opened, a kill switch thrown or"
                        + " lifted; the message says it all, the user data (a map of text) has its fields")};
    }

    private static ThreadPoolExecutor deliveries() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                task -> {
                    Thread thread = new Thread(task, "llm-budget-agent-jmx-notifications");
                    thread.setDaemon(true);
                    return thread;
                },
                (task, full) -> AgentLog.once("jmx.notification.queue", AgentLog.Level.WARN, QUEUE + " JMX notifications"
                        + " of " + AgentControl.OBJECT_NAME + " wait for a listener that does not take them: further ones"
                        + " are dropped (alerts still reach the log and the webhook)", null));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
