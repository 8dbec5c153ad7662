package dev.llmbudget.ops.jmx;

import dev.llmbudget.log.AgentLog;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers the agent's MBeans on the platform MBeanServer, under the domain {@code dev.llmbudget}. Every
 * reference to {@code javax.management} stays in this package, so the agent still runs on a runtime image
 * without the {@code java.management} module (it then has no MBeans, and says so).
 *
 * <p>Never call it on the JVM's start path before {@code main}: the first use of the platform MBeanServer
 * starts the platform's own MBeans (and {@code java.util.logging} with them).
 */
public final class AgentMBeans {
    public static final String DOMAIN = "dev.llmbudget";

    private AgentMBeans() {
    }

    /**
     * Registers the control MBean {@value AgentControl#OBJECT_NAME}; if that cannot be done (the name is taken,
     * say by a second agent in this JVM) logs one WARN and returns false.
     */
    public static boolean registerAgentControl(AgentControl control) {
        return register(AgentControl.OBJECT_NAME, control, AgentControlMXBean.class, AgentControl.descriptions());
    }

    /** Unregisters {@value AgentControl#OBJECT_NAME} if it is registered (tests; a JVM's exit needs nothing). */
    public static void unregisterAgentControl() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(AgentControl.OBJECT_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            AgentLog.debug("cannot unregister " + AgentControl.OBJECT_NAME + ": " + e);
        }
    }

    /**
     * Registers {@code mbean}, an MXBean implementing {@code mxBeanInterface}, as {@code objectName} on the
     * platform MBeanServer, with the descriptions a JMX client shows. False, after one WARN, when it cannot be.
     */
    public static <T> boolean register(String objectName, T mbean, Class<T> mxBeanInterface, Descriptions descriptions) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            server.registerMBean(new Described<>(mbean, mxBeanInterface, descriptions), new ObjectName(objectName));
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
    private static final class Described<T> extends StandardMBean {
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
}
