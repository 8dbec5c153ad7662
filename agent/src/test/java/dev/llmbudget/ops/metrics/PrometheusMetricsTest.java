package dev.llmbudget.ops.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.core.BudgetAccounts;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.Partition;
import dev.llmbudget.core.Usage;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.store.StoreException;
import dev.llmbudget.tokens.Prompt;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint as Prometheus scrapes it: a real HTTP server on a free port, read with the JDK's client, and what it
 * serves parsed as the text format, so that every assertion is on a value a scraper would read.
 */
class PrometheusMetricsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final BudgetSpec DAILY = new BudgetSpec("daily", 1_000_000, BudgetWindow.parse("day", ZoneOffset.UTC), ModelGlob.ANY);
    private static final BudgetSpec PER_TENANT = new BudgetSpec("per-tenant", 250_000, BudgetWindow.parse("day", ZoneOffset.UTC),
            ModelGlob.ANY, Partition.TENANT);

    private final MemoryStore store = new MemoryStore();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<PrometheusMetrics> started = new ArrayList<>();

    @AfterEach
    void close() {
        started.forEach(PrometheusMetrics::close);
    }

    @Test
    void countsCallsRefusalsTokensSpendAndDecisionTime() throws Exception {
        PrometheusMetrics metrics = start(List.of(DAILY));
        metrics.record(allowed("gpt-4o", 30_000, new Usage(100, 40, 0, 20, 5), 1_234));
        metrics.record(allowed("gpt-4o", 200_000, new Usage(150, 0, 0, 30, 0), 2_000));
        metrics.record(allowed("gpt-4o-mini", 3_000_000, null, 777));
        metrics.record(refused("refuse", "budget.daily.limit-usd", 80_000));
        metrics.record(refused("refuse", "budget.daily.limit-usd", 90_000));
        metrics.record(refused("refuse", "limits.run.max-calls", 40_000));
        metrics.record(wouldRefuse("limits.rate.calls-per-minute", 60_000, new Usage(10, 0, 0, 5, 0), 300));
        metrics.record(unguarded());

        PrometheusTextParser.Scrape scrape = scrape(metrics);

        assertEquals("counter", scrape.types().get("llm_budget_calls_total"));
        assertEquals(2, scrape.value("llm_budget_calls_total", "library", "openai-sdk", "model", "gpt-4o", "decision", "allow"));
        assertEquals(1, scrape.value("llm_budget_calls_total", "library", "openai-sdk", "model", "gpt-4o-mini", "decision", "allow"));
        assertEquals(3, scrape.value("llm_budget_calls_total", "library", "openai-sdk", "model", "gpt-4o", "decision", "refuse"));
        assertEquals(1, scrape.value("llm_budget_calls_total", "library", "openai-sdk", "model", "gpt-4o", "decision", "would-refuse"));
        assertEquals(1, scrape.value("llm_budget_calls_total", "library", "unknown", "model", "unknown", "decision", "unguarded"));
        assertEquals(8, scrape.sum("llm_budget_calls_total"));

        assertEquals("counter", scrape.types().get("llm_budget_refusals_total"));
        assertEquals(2, scrape.value("llm_budget_refusals_total", "rule", "budget.daily.limit-usd"));
        assertEquals(1, scrape.value("llm_budget_refusals_total", "rule", "limits.run.max-calls"));
        assertEquals(1, scrape.value("llm_budget_would_refuse_total", "rule", "limits.rate.calls-per-minute"));
        assertFalse(scrape.has("llm_budget_refusals_total", "rule", "limits.rate.calls-per-minute"), "a would-refusal is no refusal");

        assertEquals(260, scrape.value("llm_budget_tokens_total", "model", "gpt-4o", "direction", "input"));
        assertEquals(55, scrape.value("llm_budget_tokens_total", "model", "gpt-4o", "direction", "output"));
        assertEquals(Set.of("gpt-4o"), scrape.labelValues("llm_budget_tokens_total", "model"), "no usage, no tokens");

        assertEquals("counter", scrape.types().get("llm_budget_spend_usd_total"));
        assertEquals(3_534 / 1e6, scrape.value("llm_budget_spend_usd_total", "model", "gpt-4o"));
        assertEquals(777 / 1e6, scrape.value("llm_budget_spend_usd_total", "model", "gpt-4o-mini"));

        // decided: 3 allowed, 3 refused, 1 would-refuse; the unguarded call was never decided
        assertEquals("histogram", scrape.types().get("llm_budget_decision_seconds"));
        assertEquals(7, scrape.value("llm_budget_decision_seconds_count"));
        assertEquals((30_000 + 200_000 + 3_000_000 + 80_000 + 90_000 + 40_000 + 60_000) / 1e9,
                scrape.value("llm_budget_decision_seconds_sum"), 1e-12);
        TreeMap<Double, Double> buckets = scrape.buckets("llm_budget_decision_seconds");
        assertEquals(CallMetrics.DECISION_BUCKETS.length + 1, buckets.size());
        assertMonotonic(buckets);
        assertEquals(2, buckets.get(0.00005));   // 30 and 40 us
        assertEquals(5, buckets.get(0.0001));    // and 60, 80, 90 us
        assertEquals(6, buckets.get(0.00025));   // and 200 us
        assertEquals(6, buckets.get(0.0025));
        assertEquals(7, buckets.get(0.005));     // and 3 ms
        assertEquals(7, buckets.get(Double.POSITIVE_INFINITY));
    }

    @Test
    void theBudgetGaugesReadTheStoreAtEachScrape() throws Exception {
        PrometheusMetrics metrics = start(List.of(DAILY, PER_TENANT));
        AccountRef daily = new BudgetAccounts(DAILY).accountFor(null, CallScope.NONE, NOW);
        charge(daily, 250_000);
        hold(daily, 50_000);

        PrometheusTextParser.Scrape scrape = scrape(metrics);
        assertEquals("gauge", scrape.types().get("llm_budget_budget_limit_usd"));
        assertEquals(1.0, scrape.value("llm_budget_budget_limit_usd", "budget", "daily"));
        assertEquals(0.25, scrape.value("llm_budget_budget_spent_usd", "budget", "daily"));
        assertEquals(0.05, scrape.value("llm_budget_budget_held_usd", "budget", "daily"));
        assertEquals(0.7, scrape.value("llm_budget_budget_remaining_usd", "budget", "daily"));
        // a budget split by tenant: its limit, and no amounts (one series per tenant would have no bound)
        assertEquals(0.25, scrape.value("llm_budget_budget_limit_usd", "budget", "per-tenant"));
        assertEquals(Set.of("daily"), scrape.labelValues("llm_budget_budget_spent_usd", "budget"));
        assertEquals(Set.of("daily"), scrape.labelValues("llm_budget_budget_remaining_usd", "budget"));

        charge(daily.unlimited(), 800_000); // past the limit, as spend the guard could not hold back (a shadow budget)
        PrometheusTextParser.Scrape later = scrape(metrics);
        assertEquals(1.05, later.value("llm_budget_budget_spent_usd", "budget", "daily"), 1e-12);
        assertEquals(0, later.value("llm_budget_budget_remaining_usd", "budget", "daily"), "never below zero");
    }

    @Test
    void aReloadShowsTheBudgetsConfiguredNow() throws Exception {
        PrometheusMetrics metrics = start(List.of(DAILY, PER_TENANT));
        metrics.record(allowed("gpt-4o", 30_000, null, 10));
        BudgetSpec raised = new BudgetSpec("daily", 2_500_000, DAILY.window(), ModelGlob.ANY);
        BudgetSpec weekly = new BudgetSpec("weekly", 5_000_000, BudgetWindow.parse("week", ZoneOffset.UTC), ModelGlob.ANY);

        metrics.updateBudgets(List.of(raised, weekly));

        PrometheusTextParser.Scrape scrape = scrape(metrics);
        assertEquals(Set.of("daily", "weekly"), scrape.labelValues("llm_budget_budget_limit_usd", "budget"));
        assertEquals(2.5, scrape.value("llm_budget_budget_limit_usd", "budget", "daily"));
        assertEquals(5.0, scrape.value("llm_budget_budget_limit_usd", "budget", "weekly"));
        assertEquals(0, scrape.value("llm_budget_budget_spent_usd", "budget", "weekly"));
        assertEquals(1, scrape.sum("llm_budget_calls_total"), "the counts carry over a reload");
    }

    @Test
    void aModelPastTheCapIsCountedAsOther() throws Exception {
        PrometheusMetrics metrics = start(List.of());
        int models = PrometheusMetrics.MAX_MODELS + 5;
        for (int i = 0; i < models; i++) {
            metrics.record(allowed("random-model-" + UUID.randomUUID(), 30_000, new Usage(1, 0, 0, 1, 0), 1));
        }
        metrics.record(allowed("x".repeat(10_000), 30_000, null, 1));

        PrometheusTextParser.Scrape scrape = scrape(metrics);
        Set<String> labelled = scrape.labelValues("llm_budget_calls_total", "model");
        assertEquals(PrometheusMetrics.MAX_MODELS + 1, labelled.size(), "the cap, and other");
        assertEquals(6, scrape.value("llm_budget_calls_total", "library", "openai-sdk", "model", "other", "decision", "allow"));
        assertEquals(models + 1, scrape.sum("llm_budget_calls_total"), "no call is lost to the cap");
        assertEquals(PrometheusMetrics.MAX_MODELS + 1, scrape.labelValues("llm_budget_tokens_total", "model").size());
        assertEquals(PrometheusMetrics.MAX_MODELS + 1, scrape.labelValues("llm_budget_spend_usd_total", "model").size());
        assertTrue(labelled.stream().allMatch(model -> model.length() <= CappedLabel.MAX_LENGTH));
    }

    @Test
    void aStoreThatCannotBeReadLeavesTheAmountsOutAndTheScrapeSucceeds() throws Exception {
        FailingStore failing = new FailingStore(store);
        MetricsEndpoint at = new MetricsEndpoint("127.0.0.1", freePort());
        BudgetSpec weekly = new BudgetSpec("weekly", 5_000_000, BudgetWindow.parse("week", ZoneOffset.UTC), ModelGlob.ANY);
        PrometheusMetrics metrics = keep(PrometheusMetrics.start(at, failing, CLOCK, List.of(DAILY, weekly), warnings::add));
        metrics.record(allowed("gpt-4o", 30_000, null, 10));
        failing.down.set(true);

        PrometheusTextParser.Scrape scrape = scrape(metrics);
        assertEquals(1.0, scrape.value("llm_budget_budget_limit_usd", "budget", "daily"));
        assertEquals(5.0, scrape.value("llm_budget_budget_limit_usd", "budget", "weekly"));
        assertTrue(scrape.samples("llm_budget_budget_spent_usd").isEmpty());
        assertTrue(scrape.samples("llm_budget_budget_held_usd").isEmpty());
        assertTrue(scrape.samples("llm_budget_budget_remaining_usd").isEmpty());
        assertEquals(1, scrape.sum("llm_budget_calls_total"));
        assertEquals(1, failing.reads.get(), "reads stop at the first failure");

        failing.down.set(false);
        assertEquals(0.0, scrape(metrics).value("llm_budget_budget_spent_usd", "budget", "daily"), "back once the store is");
    }

    @Test
    void aPortInUseIsOneWarningAndNoMetrics() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            MetricsEndpoint at = new MetricsEndpoint("127.0.0.1", port);

            assertNull(PrometheusMetrics.start(at, store, CLOCK, List.of(DAILY), warnings::add));

            assertEquals(1, warnings.size(), warnings::toString);
            String warning = warnings.get(0);
            assertTrue(warning.startsWith("metrics.prometheus.port=" + port + ": cannot listen on 127.0.0.1:" + port + " ("), warning);
            assertTrue(warning.endsWith("); no metrics"), warning);
        }
    }

    @Test
    void bindsTheConfiguredAddressOnlyOnDaemonThreadsAndStopsOnClose() throws Exception {
        assumeNoHostSetting(MetricsHttpServer.MAX_REQUEST_TIME);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        PrometheusMetrics metrics = start(List.of(DAILY));
        scrape(metrics);

        List<Thread> serving = Thread.getAllStackTraces().keySet().stream().filter(thread -> !before.contains(thread))
                .filter(thread -> !thread.getName().startsWith("HttpClient-")).toList();
        assertTrue(serving.stream().anyMatch(thread -> thread.getName().startsWith("llm-budget-agent-metrics-")), serving::toString);
        assertTrue(serving.stream().allMatch(Thread::isDaemon), () -> "not daemon: " + serving.stream().filter(t -> !t.isDaemon()).toList());
        // on Linux every 127.x.y.z is this machine: a server on the wildcard address would answer there too
        assertThrows(IOException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", metrics.endpoint().port()), 1_000);
            }
        });
        assertNull(System.getProperty(MetricsHttpServer.MAX_REQUEST_TIME), "the client's JVM-wide setting is taken back");
        assertNull(System.getProperty(MetricsHttpServer.MAX_RESPONSE_TIME), "the client's JVM-wide setting is taken back");
        assertEquals(0, PrometheusRegistry.defaultRegistry.scrape().size(), "nothing on the client's default registry");

        metrics.close();
        assertThrows(ConnectException.class, () -> HTTP.send(request(metrics), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aRecordThatCannotBeCountedNeverReachesTheCaller() throws Exception {
        PrometheusMetrics metrics = start(List.of());
        assertDoesNotThrow(() -> metrics.record(null));
        metrics.record(new CallRecord(NOW, "c", null, 0, null, 0, null, 0, 0, null, null, null, null, null, 0, 0, null));
        assertEquals(1, scrape(metrics).value("llm_budget_calls_total", "library", "unknown", "model", "unknown", "decision", "unknown"));
    }

    private static void assumeNoHostSetting(String property) {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty(property) == null, property + " is set in this JVM");
    }

    private static void assertMonotonic(TreeMap<Double, Double> buckets) {
        double previous = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            assertTrue(bucket.getValue() >= previous, () -> "buckets not cumulative: " + buckets);
            previous = bucket.getValue();
        }
    }

    private PrometheusMetrics start(List<BudgetSpec> budgets) throws IOException {
        MetricsEndpoint at = new MetricsEndpoint("127.0.0.1", freePort());
        PrometheusMetrics metrics = PrometheusMetrics.start(at, store, CLOCK, budgets, warnings::add);
        assertNotNull(metrics, warnings::toString);
        return keep(metrics);
    }

    private PrometheusMetrics keep(PrometheusMetrics metrics) {
        started.add(metrics);
        return metrics;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static HttpRequest request(PrometheusMetrics metrics) {
        return HttpRequest.newBuilder(URI.create(metrics.endpoint().url())).timeout(Duration.ofSeconds(10)).build();
    }

    private static PrometheusTextParser.Scrape scrape(PrometheusMetrics metrics) throws Exception {
        HttpResponse<String> response = HTTP.send(request(metrics), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                () -> response.headers().map().toString());
        return PrometheusTextParser.parse(response.body());
    }

    private void charge(AccountRef account, long micros) {
        ReserveResult result = store.reserve(UUID.randomUUID().toString(), List.of(account), micros);
        store.settle(assertInstanceOf(ReserveResult.Granted.class, result).reservation(), micros);
    }

    private void hold(AccountRef account, long micros) {
        assertInstanceOf(ReserveResult.Granted.class, store.reserve(UUID.randomUUID().toString(), List.of(account), micros));
    }

    private static LlmCall call(String model) {
        return new LlmCall("openai", "chat.completions", model, Prompt.ofText("hi"), 10, 1, true, false, "fp-1234",
                "openai-sdk");
    }

    private static CallRecord allowed(String model, long decisionNanos, Usage usage, long settledMicros) {
        return new CallRecord(NOW, UUID.randomUUID().toString(), call(model), 10, "EXACT_O200K", 10, usage, settledMicros * 2,
                settledMicros, List.of("daily"), "allow", CallRecord.Outcome.SETTLED, "budget.daily.limit-usd", null, 5, 1,
                CallScope.NONE, decisionNanos, List.of());
    }

    private static CallRecord wouldRefuse(String rule, long decisionNanos, Usage usage, long settledMicros) {
        return new CallRecord(NOW, UUID.randomUUID().toString(), call("gpt-4o"), 10, "EXACT_O200K", 10, usage, settledMicros,
                settledMicros, List.of("daily"), CallRecord.WOULD_REFUSE, CallRecord.Outcome.SETTLED, rule, null, 5, 1,
                CallScope.NONE, decisionNanos, List.of());
    }

    private static CallRecord refused(String decision, String rule, long decisionNanos) {
        return new CallRecord(NOW, UUID.randomUUID().toString(), call("gpt-4o"), 10, "EXACT_O200K", 10, null, 5_000, 0,
                List.of("daily"), decision, CallRecord.Outcome.REFUSED, rule, null, 0, 0, CallScope.NONE, decisionNanos, List.of());
    }

    private static CallRecord unguarded() {
        LlmCall unknown = new LlmCall("unknown", "unknown", null, null, 0, 1, true, false, null);
        return new CallRecord(NOW, UUID.randomUUID().toString(), unknown, 0, null, 0, null, 0, 0, List.of(), "unguarded",
                CallRecord.Outcome.UNGUARDED, "on-internal-error", "boom", 0, 0, CallScope.NONE);
    }

    /** A store whose balances cannot be read while {@link #down} (Redis away), counting the reads tried. */
    private static final class FailingStore implements SpendStore {
        final AtomicBoolean down = new AtomicBoolean();
        final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        private final SpendStore delegate;

        FailingStore(SpendStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public ReserveResult reserve(String reservationId, List<AccountRef> accounts, long amountMicros) {
            return delegate.reserve(reservationId, accounts, amountMicros);
        }

        @Override
        public void settle(Reservation reservation, long actualMicros) {
            delegate.settle(reservation, actualMicros);
        }

        @Override
        public void release(Reservation reservation) {
            delegate.release(reservation);
        }

        @Override
        public Balance balance(AccountRef account) {
            if (down.get()) {
                reads.incrementAndGet();
                throw new StoreException("Redis at 127.0.0.1:6379 is unreachable");
            }
            return delegate.balance(account);
        }

        @Override
        public List<AccountBalance> accounts() {
            return delegate.accounts();
        }

        @Override
        public String describe() {
            return "failing " + delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
