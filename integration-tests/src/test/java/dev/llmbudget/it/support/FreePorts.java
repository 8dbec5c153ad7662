package dev.llmbudget.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for a child JVM to listen on (a JMX connector, a metrics endpoint). */
public final class FreePorts {
    private FreePorts() {
    }

    /** A loopback port free a moment ago: the child binds it soon after, and nothing else on the machine picks ports. */
    public static int loopback() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
