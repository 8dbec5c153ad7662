package dev.llmbudget.ops.metrics;

import dev.llmbudget.config.ConfigKeys;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.CallRecorder;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.store.SpendStore;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The agent's Prometheus endpoint ({@code metrics.prometheus.port}): fed every call's record as a
 * {@link CallRecorder} ({@link CallMetrics}), reading the budgets' amounts from the spend store when scraped
 * ({@link BudgetGauges}), served at {@link MetricsEndpoint#url()} ({@link MetricsHttpServer}).
 *
 * <p>It keeps to itself, because the host may use the Prometheus client too: a registry of its own (never the
 * client's default one), the client shaded under {@code dev.llmbudget.shaded.prometheus}, and the client's default
 * settings built here, never those the host gives its own client ({@code io.prometheus.*} system properties,
 * {@code IO_PROMETHEUS_*} variables, {@code prometheus.properties}).
 *
 * <p>It never breaks the host: an address that cannot be bound is one WARN and no metrics, a record that cannot be
 * counted is logged once and the call goes on, and every thread it starts is a daemon.
 *
 * <p>Only this package names Prometheus classes, and only once {@link #start} runs, so an agent without the port set
 * never loads one.
 */
public final class PrometheusMetrics implements CallRecorder, AutoCloseable {
    /** Distinct models the metrics label with before counting new ones as {@code model="other"}. */
    static final int MAX_MODELS = 200;
    /** Distinct refusal rules likewise (configuration keys, so far fewer in practice). */
    static final int MAX_RULES = 100;

    private final MetricsEndpoint at;
    private final CallMetrics calls;
    private final BudgetGauges budgets;
    private final HTTPServer server;

    private PrometheusMetrics(MetricsEndpoint at, CallMetrics calls, BudgetGauges budgets, HTTPServer server) {
        this.at = at;
        this.calls = calls;
        this.budgets = budgets;
        this.server = server;
    }

    /**
     * Serves the metrics at {@code at}, or returns null after one WARN when it cannot (the port taken, say): the
     * agent then runs without metrics.
     *
     * @param store the spend store the guard charges, read at each scrape
     * @param clock the guard's clock: which window is current
     * @param budgets the budgets configured now (not the burn-rate limit)
     */
    public static PrometheusMetrics start(MetricsEndpoint at, SpendStore store, Clock clock, List<BudgetSpec> budgets) {
        return start(at, store, clock, budgets, AgentLog::warn);
    }

    static PrometheusMetrics start(MetricsEndpoint at, SpendStore store, Clock clock, List<BudgetSpec> budgets,
                                   Consumer<String> warn) {
        String key = ConfigKeys.METRICS_PORT.name() + "=" + at.port();
        PrometheusRegistry registry;
        PrometheusProperties properties;
        CallMetrics calls;
        BudgetGauges gauges;
        try {
            // the client's defaults, whatever io.prometheus.* settings the host gives its own client
            properties = PrometheusProperties.builder().build();
            registry = new PrometheusRegistry();
            calls = new CallMetrics(properties, registry, new CappedLabel("model", MAX_MODELS), new CappedLabel("rule", MAX_RULES));
            gauges = new BudgetGauges(store, clock, budgets);
            registry.register(gauges);
        } catch (RuntimeException | LinkageError broken) {
            Throwable cause = broken.getCause() != null ? broken.getCause() : broken;
            warn.accept(key + ": the Prometheus client cannot start in this JVM (" + cause + "); no metrics");
            return null;
        }
        try {
            return new PrometheusMetrics(at, calls, gauges, MetricsHttpServer.start(at, registry, properties));
        } catch (IOException | RuntimeException | LinkageError cannotListen) {
            warn.accept(key + ": cannot listen on " + at.address() + " (" + cannotListen + "); no metrics");
            return null;
        }
    }

    /** Where the metrics are served. */
    public MetricsEndpoint endpoint() {
        return at;
    }

    /** Counts the call; never throws (a failure is logged once and the call is not affected). */
    @Override
    public void record(CallRecord record) {
        try {
            calls.record(record);
        } catch (RuntimeException error) {
            AgentLog.once("metrics:record", AgentLog.Level.WARN,
                    "metrics: a call's record could not be counted; the call is not affected (said once)", error);
        }
    }

    /** The budgets configured from now on (a reload): the next scrape shows their limits and amounts. */
    public void updateBudgets(List<BudgetSpec> configured) {
        try {
            budgets.update(configured);
        } catch (RuntimeException error) {
            AgentLog.once("metrics:reload", AgentLog.Level.WARN,
                    "metrics: the reloaded budgets could not be applied to the metrics (said once)", error);
        }
    }

    /** Stops serving (at JVM exit). Never throws. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (RuntimeException error) {
            AgentLog.debug("metrics: the endpoint did not close cleanly: " + error);
        }
    }
}
