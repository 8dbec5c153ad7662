package dev.llmbudget.it.support;

import java.io.IOException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A child JVM's own JMX port (no authentication, loopback only), as an operator's jconsole reaches the agent. */
public final class RemoteJmx {
    private RemoteJmx() {
    }

    /** {@code jvm} opening a JMX connector on {@code port} of 127.0.0.1. */
    public static ChildJvm listening(ChildJvm jvm, int port) {
        return jvm.systemProperty("com.sun.management.jmxremote.port", String.valueOf(port))
                .systemProperty("com.sun.management.jmxremote.authenticate", "false")
                .systemProperty("com.sun.management.jmxremote.ssl", "false")
                .systemProperty("com.sun.management.jmxremote.local.only", "true")
                .systemProperty("java.rmi.server.hostname", "127.0.0.1");
    }

    /** Connects to the child's JMX agent once it listens and {@code mbean} is registered (the agent does it off the start path). */
    public static JMXConnector connect(ChildJvm.Running child, int port, ObjectName mbean) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        JMXConnector[] connector = new JMXConnector[1];
        child.await("the MBean " + mbean + " over JMX", 60, () -> {
            try {
                if (connector[0] == null) {
                    connector[0] = JMXConnectorFactory.connect(url);
                }
                return connector[0].getMBeanServerConnection().isRegistered(mbean);
            } catch (IOException notYet) {
                return false;
            }
        });
        return connector[0];
    }
}
