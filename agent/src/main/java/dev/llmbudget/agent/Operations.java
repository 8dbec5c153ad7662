package dev.llmbudget.agent;

import dev.llmbudget.config.AgentConfig;
import dev.llmbudget.config.ConfigKeys;
import dev.llmbudget.core.AlertSink;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.CallRecorder;
import dev.llmbudget.core.HaltSwitch;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.ops.alerts.Alerts;
import dev.llmbudget.ops.jmx.AgentControl;
import dev.llmbudget.ops.jmx.AgentMBeans;
import dev.llmbudget.ops.jmx.AgentStatus;
import dev.llmbudget.ops.jmx.BudgetMBeans;
import dev.llmbudget.ops.jmx.CallStats;
import dev.llmbudget.ops.killswitch.JmxKillSwitch;
import dev.llmbudget.ops.killswitch.KillSwitches;
import dev.llmbudget.ops.metrics.MetricsEndpoint;
import dev.llmbudget.ops.metrics.PrometheusMetrics;
import dev.llmbudget.store.SpendStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What operators see and hear of the running agent, wired from the configuration: the call counters, the
 * MBeans ({@code dev.llmbudget:type=Agent}, one {@code type=Budget} per budget), the alerts they notify and, with
 * {@code metrics.prometheus.port}, the Prometheus endpoint. Everything here is fed from the calls' records and the
 * alert sink, and follows a reload through {@link #reloaded}.
 */
final class Operations {
    private final CallStats stats = new CallStats();
    private final AgentControl control;
    private final BudgetMBeans budgetMBeans;
    private final List<CallRecorder> recorders = new ArrayList<>();
    private final Alerts alerts;
    /** The Prometheus endpoint, or null when {@code metrics.prometheus.port} is unset or it could not start. */
    private final PrometheusMetrics metrics;

    Operations(AgentConfig config, List<BudgetSpec> budgets, HaltSwitch halts, SpendStore store, Clock clock,
               AgentStatus status) {
        JmxKillSwitch jmxSwitch = KillSwitches.jmxSwitchOf(halts);
        this.control = jmxSwitch == null ? null : new AgentControl(jmxSwitch, status, stats);
        this.budgetMBeans = new BudgetMBeans(budgets, stats, store, clock);
        this.alerts = Alerts.start(config, store);
        if (control != null) {
            alerts.addSink(control);
        }
        recorders.add(stats);
        recorders.addAll(alerts.recorders());
        // unset, no Prometheus class is loaded: MetricsEndpoint names none
        MetricsEndpoint at = MetricsEndpoint.configured(config);
        this.metrics = at == null ? null : PrometheusMetrics.start(at, store, clock, budgets);
        if (metrics != null) {
            recorders.add(metrics);
            AgentLog.info("Prometheus metrics at " + at.url());
        }
        KillSwitches.alertTo(halts, alerts.sink());
        if (config.text(ConfigKeys.ALERTS_WEBHOOK_URL) != null
                || config.budgets().stream().anyMatch(budget -> !budget.alertAtBasisPoints().isEmpty())) {
            AgentLog.info(alerts.describe());
        }
        if (control != null) {
            registerInBackground();
        }
    }

    /** The recorders to give every call's record to, besides the ledger. */
    List<CallRecorder> recorders() {
        return recorders;
    }

    /** Where circuits, kill switches and thresholds raise their alerts. */
    AlertSink alerts() {
        return alerts.sink();
    }

    /** After a reload was applied: budgets added or gone, and the kill switches (a new file) told where to alert. */
    void reloaded(AgentConfig config, List<BudgetSpec> budgets, HaltSwitch halts) {
        budgetMBeans.update(budgets);
        alerts.update(config);
        KillSwitches.alertTo(halts, alerts.sink());
        if (metrics != null) {
            metrics.updateBudgets(budgets);
        }
    }

    /** At JVM exit: the alerts still queued for the webhook get up to about two seconds; the metrics endpoint stops. */
    void close() {
        alerts.close();
        if (metrics != null) {
            metrics.close();
        }
    }

    /**
     * The MBeans go on the platform MBeanServer on a thread of their own: its first use starts the platform's
     * MBeans (and java.util.logging), which neither the JVM's start nor the first call should wait for.
     */
    private void registerInBackground() {
        Thread thread = new Thread(() -> {
            try {
                AgentMBeans.registerAgentControl(control);
                budgetMBeans.register();
            } catch (LinkageError noJavaManagement) {
                AgentLog.warn(ConfigKeys.JMX_ENABLED.name() + "=true but this JVM has no JMX (" + noJavaManagement
                        + "); the MBeans are not registered. Set " + ConfigKeys.JMX_ENABLED.name() + "=false to silence this.");
            }
        }, "llm-budget-agent-jmx");
        thread.setDaemon(true);
        thread.start();
    }
}
