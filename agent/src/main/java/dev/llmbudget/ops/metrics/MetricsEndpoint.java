package dev.llmbudget.ops.metrics;

import dev.llmbudget.config.AgentConfig;
import dev.llmbudget.config.ConfigKeys;

/**
 * Where the Prometheus endpoint listens: {@code metrics.prometheus.host} and {@code metrics.prometheus.port}.
 *
 * <p>Kept apart from {@link PrometheusMetrics} and free of any Prometheus class on purpose: the agent asks this
 * record whether metrics are on, and with the port unset ({@link #configured} returns null) not one class of the
 * (shaded) Prometheus client is loaded into the host's JVM.
 *
 * @param host the address to bind, by default {@code 127.0.0.1} so that the endpoint stays on this machine
 * @param port the TCP port
 */
public record MetricsEndpoint(String host, int port) {

    /** The endpoint the configuration asks for, or null when {@code metrics.prometheus.port} is unset (no metrics). */
    public static MetricsEndpoint configured(AgentConfig config) {
        String port = config.text(ConfigKeys.METRICS_PORT);
        if (port == null || port.isEmpty()) {
            return null;
        }
        String host = config.text(ConfigKeys.METRICS_HOST);
        // the configuration's check already took the port as 1..65535
        return new MetricsEndpoint(host == null || host.isEmpty() ? ConfigKeys.METRICS_HOST.defaultValue() : host,
                Integer.parseInt(port));
    }

    /** The URL a scraper reads, e.g. {@code http://127.0.0.1:9464/metrics}. */
    public String url() {
        return "http://" + address() + "/metrics";
    }

    /** {@code host:port} ({@code [::1]:9464} for an IPv6 address), as a log line names what could not be bound. */
    String address() {
        String literal = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return literal + ":" + port;
    }
}
