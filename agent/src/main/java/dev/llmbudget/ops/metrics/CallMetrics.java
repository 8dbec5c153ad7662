package dev.llmbudget.ops.metrics;

import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Usage;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The metrics fed by each call's final record: calls, refusals, would-refusals, tokens, settled spend and the
 * decision's latency. Counts are this JVM's since it started, as Prometheus counters are; the budgets' amounts,
 * shared across JVMs, are {@link BudgetGauges}'.
 *
 * <p>Exemplars are off: with them the client would look for the host's OpenTelemetry span on every update.
 */
final class CallMetrics {
    /** Upper bounds of the decision histogram, seconds: a decision takes tens of microseconds in memory, about a
     *  millisecond against Redis, more when a long prompt is tokenized; the top ones show a slow or unreachable store. */
    static final double[] DECISION_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 1};

    private static final String ALLOW = "allow";
    private static final String REFUSE = "refuse";
    private static final String UNGUARDED = "unguarded";

    private final CappedLabel models;
    private final CappedLabel rules;
    private final Counter calls;
    private final Counter refusals;
    private final Counter wouldRefusals;
    private final Counter tokens;
    private final Histogram decisionSeconds;
    /** Settled spend by (capped) model, micro-USD: kept as integers, shown in USD only when scraped. */
    private final Map<String, LongAdder> spentMicrosByModel = new ConcurrentHashMap<>();

    CallMetrics(PrometheusProperties properties, PrometheusRegistry registry, CappedLabel models, CappedLabel rules) {
        this.models = models;
        this.rules = rules;
        this.calls = Counter.builder(properties).name("llm_budget_calls")
                .help("Calls the agent decided or let through, by library, model and decision (allow, refuse, would-refuse, unguarded)")
                .labelNames("library", "model", "decision").withoutExemplars().register(registry);
        this.refusals = Counter.builder(properties).name("llm_budget_refusals")
                .help("Calls refused before sending, by the configuration key that refused them")
                .labelNames("rule").withoutExemplars().register(registry);
        this.wouldRefusals = Counter.builder(properties).name("llm_budget_would_refuse")
                .help("Calls sent in shadow mode that a rule would have refused, by that rule")
                .labelNames("rule").withoutExemplars().register(registry);
        this.tokens = Counter.builder(properties).name("llm_budget_tokens")
                .help("Tokens the provider reported, by model and direction (input includes cached, output includes reasoning)")
                .labelNames("model", "direction").withoutExemplars().register(registry);
        this.decisionSeconds = Histogram.builder(properties).name("llm_budget_decision_seconds")
                .help("How long the agent took to decide a call before sending it (kill switches, counting, pricing, limits, reserving)")
                .classicOnly().classicUpperBounds(DECISION_BUCKETS).withoutExemplars().register(registry);
        CounterWithCallback.builder(properties).name("llm_budget_spend_usd")
                .help("Spend settled by this JVM's calls, USD, by model")
                .labelNames("model")
                .callback(callback -> spentMicrosByModel.forEach((model, micros) -> callback.call(Usd.of(micros.sum()), model)))
                .register(registry);
    }

    void record(CallRecord record) {
        LlmCall call = record.call();
        String model = models.of(call == null ? null : call.model());
        String library = call == null || call.library() == null ? CappedLabel.UNKNOWN : call.library();
        String decision = isKnownDecision(record.decision()) ? record.decision() : CappedLabel.UNKNOWN;
        calls.labelValues(library, model, decision).inc();
        if (REFUSE.equals(decision)) {
            refusals.labelValues(rules.of(record.rule())).inc();
        } else if (CallRecord.WOULD_REFUSE.equals(decision)) {
            wouldRefusals.labelValues(rules.of(record.rule())).inc();
        }
        if (REFUSE.equals(decision) || ALLOW.equals(decision) || CallRecord.WOULD_REFUSE.equals(decision)) {
            // a call let through unguarded was never decided: it has no decision time to show
            decisionSeconds.observe(Math.max(0, record.decisionNanos()) / 1e9);
        }
        Usage usage = record.usage();
        if (usage != null) {
            tokens.labelValues(model, "input").inc(Math.max(0, usage.inputTokens()));
            tokens.labelValues(model, "output").inc(Math.max(0, usage.outputTokens()));
        }
        if (record.settledMicros() > 0) {
            spentMicrosByModel.computeIfAbsent(model, name -> new LongAdder()).add(record.settledMicros());
        }
    }

    /** The four decisions a record has; anything else (none yet) is labelled {@code unknown}, so the label stays bounded. */
    private static boolean isKnownDecision(String decision) {
        return ALLOW.equals(decision) || REFUSE.equals(decision) || CallRecord.WOULD_REFUSE.equals(decision)
                || UNGUARDED.equals(decision);
    }
}
