package dev.llmbudget.ops.jmx;

import dev.llmbudget.log.AgentLog;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.NotificationBroadcasterSupport;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers the agent's MBeans on the platform MBeanServer, under the domain {@code dev.llmbudget}: the control
 * MBean ({@link AgentControl}) and one per budget ({@link BudgetMBeans}). Every reference to
 * {@code javax.management} stays in this package, and only in this class and {@link AlertNotifications}, which
 * only a registration loads, so the agent still runs on a runtime image without the {@code java.management}
 * module (it then has no MBeans, and says so).
 *
 * <p>Never call it on the JVM's start path before {@code main}: the first use of the platform MBeanServer
 * starts the platform's own MBeans (and {@code java.util.logging} with them).
 */
public final class AgentMBeans {
    public static final String DOMAIN = "dev.llmbudget";

    private AgentMBeans() {
    }

    /**
     * Registers the control MBean {@value AgentControl#OBJECT_NAME}, a notification emitter whose notifications
     * are the alerts {@code control} is given from then on; if that cannot be done (the name is taken, say by a
     * second agent in this JVM) logs one WARN and returns false.
     */
    public static boolean registerAgentControl(AgentControl control) {
        AlertNotifications[] notifications = new AlertNotifications[1];
        boolean registered = register(AgentControl.OBJECT_NAME, () -> {
            notifications[0] = new AlertNotifications(AgentControl.OBJECT_NAME);
            return new DescribedEmitter<>(control, AgentControlMXBean.class, AgentControl.descriptions(), notifications[0]);
        });
        if (registered) {
            control.notifyThrough(notifications[0]);
        }
        return registered;
    }

    /** Unregisters {@value AgentControl#OBJECT_NAME} if it is registered (tests; a JVM's exit needs nothing). */
    public static void unregisterAgentControl() {
        unregister(AgentControl.OBJECT_NAME);
    }

    /**
     * Registers {@code mbean}, an MXBean implementing {@code mxBeanInterface}, as {@code objectName} on the
     * platform MBeanServer, with the descriptions a JMX client shows. False, after one WARN, when it cannot be.
     */
    public static <T> boolean register(String objectName, T mbean, Class<T> mxBeanInterface, Descriptions descriptions) {
        return register(objectName, () -> new Described<>(mbean, mxBeanInterface, descriptions));
    }

    /** Unregisters {@code objectName} if it is registered; a failure is only logged at DEBUG. */
    public static void unregister(String objectName) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(objectName);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException | RuntimeException e) {
            AgentLog.debug("cannot unregister " + objectName + ": " + e);
        }
    }

    /** {@code value} as an object name's property value: as it is when it needs no quotes, else quoted. */
    static String propertyValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.'))) {
                return ObjectName.quote(value);
            }
        }
        return value.isEmpty() ? ObjectName.quote(value) : value;
    }

    /** Builds the MBean to register; may throw what building it throws. */
    private interface MBeanFactory {
        DynamicMBean create() throws JMException;
    }

    private static boolean register(String objectName, MBeanFactory mbean) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            server.registerMBean(mbean.create(), new ObjectName(objectName));
            AgentLog.debug("MBean " + objectName + " registered");
            return true;
        } catch (JMException | RuntimeException | LinkageError | java.util.ServiceConfigurationError e) {
            AgentLog.warn("cannot register the MBean " + objectName + " (" + e
                    + "); it is not reachable over JMX in this JVM. Every other guard works as configured.");
            return false;
        }
    }

    /** The texts a JMX client shows for an MBean: its own, its attributes', its operations' and their parameters'. */
    public static final class Descriptions {
        private final String mbean;
        private final Map<String, String> attributes = new HashMap<>();
        private final Map<String, String> operations = new HashMap<>();
        private final Map<String, List<String>> parameters = new HashMap<>();

        public Descriptions(String mbean) {
            this.mbean = mbean;
        }

        public Descriptions attribute(String name, String description) {
            attributes.put(name, description);
            return this;
        }

        /** @param parameterNamesAndDescriptions name, description, name, description, ... in parameter order */
        public Descriptions operation(String name, String description, String... parameterNamesAndDescriptions) {
            operations.put(name, description);
            parameters.put(name, List.of(parameterNamesAndDescriptions));
            return this;
        }
    }

    /** An MXBean with descriptions and parameter names (a plain one shows {@code p0}, {@code p1}, ...). */
    private static class Described<T> extends StandardMBean {
        private final Descriptions texts;

        Described(T mbean, Class<T> mxBeanInterface, Descriptions texts) {
            super(mbean, mxBeanInterface, true);
            this.texts = texts;
        }

        @Override
        protected String getDescription(MBeanInfo info) {
            return texts.mbean;
        }

        @Override
        protected String getDescription(MBeanAttributeInfo info) {
            return texts.attributes.getOrDefault(info.getName(), super.getDescription(info));
        }

        @Override
        protected String getDescription(MBeanOperationInfo info) {
            return texts.operations.getOrDefault(info.getName(), super.getDescription(info));
        }

        @Override
        protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
            List<String> names = texts.parameters.getOrDefault(op.getName(), List.of());
            return 2 * sequence < names.size() ? names.get(2 * sequence) : super.getParameterName(op, param, sequence);
        }

        @Override
        protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
            List<String> names = texts.parameters.getOrDefault(op.getName(), List.of());
            return 2 * sequence + 1 < names.size() ? names.get(2 * sequence + 1) : super.getDescription(op, param, sequence);
        }
    }

    /**
     * A described MXBean that emits notifications: {@link NotificationEmitter} (as the MBeanServer requires of
     * the registered object itself) over {@code notifications}, whose types its {@link MBeanInfo} lists.
     */
    private static final class DescribedEmitter<T> extends Described<T> implements NotificationEmitter {
        private final NotificationBroadcasterSupport notifications;
        private volatile MBeanInfo info;

        DescribedEmitter(T mbean, Class<T> mxBeanInterface, Descriptions texts, NotificationBroadcasterSupport notifications) {
            super(mbean, mxBeanInterface, texts);
            this.notifications = notifications;
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            MBeanInfo known = info;
            if (known == null) {
                MBeanInfo plain = super.getMBeanInfo();
                known = new MBeanInfo(plain.getClassName(), plain.getDescription(), plain.getAttributes(),
                        plain.getConstructors(), plain.getOperations(), getNotificationInfo(), plain.getDescriptor());
                info = known;
            }
            return known;
        }

        @Override
        public MBeanNotificationInfo[] getNotificationInfo() {
            return notifications.getNotificationInfo();
        }

        @Override
        public void addNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback) {
            notifications.addNotificationListener(listener, filter, handback);
        }

        @Override
        public void removeNotificationListener(NotificationListener listener) throws ListenerNotFoundException {
            notifications.removeNotificationListener(listener);
        }

        @Override
        public void removeNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback)
                throws ListenerNotFoundException {
            notifications.removeNotificationListener(listener, filter, handback);
        }
    }
}
