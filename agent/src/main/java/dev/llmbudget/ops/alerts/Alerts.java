package dev.llmbudget.ops.alerts;

import dev.llmbudget.config.AgentConfig;
import dev.llmbudget.config.BudgetConfig;
import dev.llmbudget.config.ConfigKeys;
import dev.llmbudget.core.AlertSink;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecorder;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.Partition;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.store.SpendStore;
import java.net.URI;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The agent's alerting, wired from the configuration: the {@link AlertSink} circuits and kill switches raise to,
 * the two {@link CallRecorder}s that turn call records into alerts (thresholds, refusals), and the webhook.
 * {@link #update} applies a reloaded configuration; {@link #close} at shutdown.
 */
public final class Alerts implements AutoCloseable {
    private final AlertDispatcher dispatcher;
    private final ThresholdWatch thresholds;
    private final RefusalAlerts refusals;
    private final Consumer<String> warn;

    private Alerts(AlertDispatcher dispatcher, ThresholdWatch thresholds, RefusalAlerts refusals, Consumer<String> warn) {
        this.dispatcher = dispatcher;
        this.thresholds = thresholds;
        this.refusals = refusals;
        this.warn = warn;
    }

    /** Starts the threshold watch's thread and, with {@code alerts.webhook.url} set, the webhook's. */
    public static Alerts start(AgentConfig config, SpendStore store) {
        return start(config, store, Clock.systemUTC(), AgentLog::warn);
    }

    static Alerts start(AgentConfig config, SpendStore store, InstantSource clock, Consumer<String> warn) {
        WebhookSender.Settings webhook = webhookSettings(config);
        AlertDispatcher dispatcher = new AlertDispatcher(webhook == null ? null : WebhookSender.start(webhook, warn, 200), warn);
        List<BudgetSpec> budgets = budgets(config);
        ThresholdWatch thresholds = ThresholdWatch.start(store, dispatcher, watched(config, budgets), clock);
        RefusalAlerts refusals = new RefusalAlerts(dispatcher, budgets, config.duration(ConfigKeys.ALERTS_REFUSAL_INTERVAL), clock);
        return new Alerts(dispatcher, thresholds, refusals, warn);
    }

    /** Where circuits and kill switches raise their alerts. */
    public AlertSink sink() {
        return dispatcher;
    }

    /** Adds a sink every alert also goes to, e.g. the MBean's notification emitter. */
    public void addSink(AlertSink sink) {
        dispatcher.addSink(sink);
    }

    /** To add to the fan-out of call records: the threshold watch, then the refusal alerts. */
    public List<CallRecorder> recorders() {
        return List.of(thresholds, refusals);
    }

    /** For the startup line, e.g. {@code alerts: alert-at on 2 budget(s), webhook https://hooks.slack.com}. */
    public String describe() {
        WebhookSender webhook = dispatcher.webhook();
        URI url = webhook == null ? null : webhook.settings().url();
        return "alerts: alert-at on " + thresholds.watchedCount() + " budget(s), "
                + (url == null ? "no webhook" : "webhook " + url.getScheme() + "://" + url.getHost());
    }

    /**
     * Applies a reloaded configuration: budgets and thresholds (what has fired stays fired for budgets that stay),
     * the refusal interval, and the webhook (a changed {@code alerts.webhook.*} starts a new sender; the old one
     * POSTs what it holds for up to two seconds, on this thread).
     */
    public synchronized void update(AgentConfig config) {
        List<BudgetSpec> budgets = budgets(config);
        thresholds.update(watched(config, budgets));
        refusals.update(budgets, config.duration(ConfigKeys.ALERTS_REFUSAL_INTERVAL));
        WebhookSender.Settings next = webhookSettings(config);
        WebhookSender current = dispatcher.webhook();
        if (!Objects.equals(next, current == null ? null : current.settings())) {
            WebhookSender replaced = dispatcher.replaceWebhook(next == null ? null : WebhookSender.start(next, warn, 200));
            if (replaced != null) {
                replaced.close();
            }
        }
    }

    /** Stops the threshold watch and POSTs what the webhook holds, for up to two seconds. */
    @Override
    public synchronized void close() {
        thresholds.close();
        WebhookSender webhook = dispatcher.replaceWebhook(null);
        if (webhook != null) {
            webhook.close();
        }
    }

    private static WebhookSender.Settings webhookSettings(AgentConfig config) {
        String url = config.text(ConfigKeys.ALERTS_WEBHOOK_URL);
        if (url == null || url.isEmpty()) {
            return null;
        }
        return new WebhookSender.Settings(URI.create(url), config.duration(ConfigKeys.ALERTS_WEBHOOK_TIMEOUT),
                (int) config.count(ConfigKeys.ALERTS_WEBHOOK_RETRIES), (int) config.count(ConfigKeys.ALERTS_WEBHOOK_QUEUE));
    }

    /**
     * The configured budgets as the guard builds them, except that every model matches: alerts need a budget's
     * limit, window and partition, never its model globs.
     */
    private static List<BudgetSpec> budgets(AgentConfig config) {
        List<BudgetSpec> budgets = new ArrayList<>();
        for (BudgetConfig budget : config.budgets()) {
            budgets.add(new BudgetSpec(budget.name(), budget.limitMicros(), BudgetWindow.parse(budget.window(), budget.zone()),
                    ModelGlob.ANY, Partition.parse(budget.per())));
        }
        return budgets;
    }

    private static List<ThresholdWatch.Watched> watched(AgentConfig config, List<BudgetSpec> budgets) {
        List<ThresholdWatch.Watched> watched = new ArrayList<>();
        for (int i = 0; i < budgets.size(); i++) {
            List<Integer> thresholds = config.budgets().get(i).alertAtBasisPoints();
            if (!thresholds.isEmpty()) {
                watched.add(new ThresholdWatch.Watched(budgets.get(i), thresholds));
            }
        }
        return watched;
    }
}
