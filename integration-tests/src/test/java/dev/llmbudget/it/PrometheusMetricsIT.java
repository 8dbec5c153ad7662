package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.ReturningHost;
import dev.llmbudget.it.apps.SpendHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.FreePorts;
import dev.llmbudget.it.support.Ledger;
import dev.llmbudget.ops.metrics.PrometheusTextParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics.prometheus.port} with the real shaded agent jar and the real OpenAI SDK: calls go through until
 * the daily budget refuses them, then the endpoint is scraped as Prometheus would and what it serves is parsed as
 * the text format and checked against the host's own account of its calls and the ledger. The child also carries
 * a setting for the host's own Prometheus client ({@code IO_PROMETHEUS_*}), which the agent's shaded copy must
 * neither apply nor fail on.
 */
class PrometheusMetricsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String MODEL = "gpt-4o-mini";

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();

    @Test
    void prometheusReadsTheCallsRefusalsTokensSpendAndBudgetOfTheRunningHost() throws Exception {
        int port = FreePorts.loopback();
        int hostClientPort = FreePorts.loopback();
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=0.0005", "budget.daily.window=day",
                "metrics.prometheus.port=" + port);

        try (ChildJvm.Running child = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .env("IO_PROMETHEUS_EXPORTER_HTTP_SERVER_PORT", String.valueOf(hostClientPort))
                .start(SpendHost.class, "sequential", "20", "idle")) {
            child.await("the calls, then IDLE", 120, () -> child.stdout().contains("IDLE"));
            long ok = child.countLines("CALL ok ");
            long refused = child.countLines("CALL refused ");
            assertEquals(20, ok + refused, child.stdout());
            assertTrue(ok >= 1 && refused >= 1, "some calls fit the budget, then it refuses:\n" + child.stdout());
            assertTrue(child.stdout().lines().filter(line -> line.startsWith("CALL refused "))
                    .allMatch(line -> line.contains(" rule=budget.daily.limit-usd ")), child.stdout());
            assertTrue(child.stderr().contains("Prometheus metrics at http://127.0.0.1:" + port + "/metrics"), child.stderr());
            child.await("the ledger's 20 lines", 30, () -> ledgerLines() == 20);
            List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
            long settledMicros = Ledger.sum(ledger, "settledMicroUsd");
            assertTrue(settledMicros > 0, ledger::toString);

            PrometheusTextParser.Scrape scrape = PrometheusTextParser.parse(scrapeText(port));

            assertEquals(ok, scrape.value("llm_budget_calls_total", "library", "openai-sdk", "model", MODEL, "decision", "allow"));
            assertEquals(refused, scrape.value("llm_budget_calls_total", "library", "openai-sdk", "model", MODEL, "decision", "refuse"));
            assertEquals(20, scrape.sum("llm_budget_calls_total"));
            assertEquals(refused, scrape.value("llm_budget_refusals_total", "rule", "budget.daily.limit-usd"));
            FakeOpenAi.ReportedUsage usage = fake.reportedUsage();
            assertEquals(ok * usage.promptTokens(), scrape.value("llm_budget_tokens_total", "model", MODEL, "direction", "input"));
            assertEquals(ok * usage.completionTokens(), scrape.value("llm_budget_tokens_total", "model", MODEL, "direction", "output"));
            assertEquals(settledMicros / 1e6, scrape.value("llm_budget_spend_usd_total", "model", MODEL));

            assertEquals("histogram", scrape.types().get("llm_budget_decision_seconds"));
            assertEquals(20, scrape.value("llm_budget_decision_seconds_count"), "every call was decided");
            TreeMap<Double, Double> buckets = scrape.buckets("llm_budget_decision_seconds");
            double previous = 0;
            for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
                assertTrue(bucket.getValue() >= previous, () -> "not cumulative: " + buckets);
                previous = bucket.getValue();
            }
            assertEquals(20, buckets.get(Double.POSITIVE_INFINITY));
            assertTrue(scrape.value("llm_budget_decision_seconds_sum") > 0);

            assertEquals(0.0005, scrape.value("llm_budget_budget_limit_usd", "budget", "daily"));
            assertEquals(settledMicros / 1e6, scrape.value("llm_budget_budget_spent_usd", "budget", "daily"));
            assertEquals(0, scrape.value("llm_budget_budget_held_usd", "budget", "daily"), "nothing in flight");
            assertEquals((500 - settledMicros) / 1e6, scrape.value("llm_budget_budget_remaining_usd", "budget", "daily"));

            assertProtobufServed(port);
            // the host's client setting was not taken for the agent's endpoint
            assertThrows(IOException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", hostClientPort), 1_000);
                }
            });
        }
    }

    @Test
    void theEndpointNeitherKeepsTheHostsJvmAliveNorChangesItsHttpServerSettings() throws Exception {
        int port = FreePorts.loopback();
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=1", "metrics.prometheus.port=" + port);

        ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).run(ReturningHost.class, String.valueOf(port));

        // main returned with the endpoint serving: the JVM still ended on its own
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("HOST listening maxReqTime=null", result.stdout().strip(), result::toString);
    }

    /**
     * A scraper that prefers the protobuf format (Prometheus with native histograms) gets it: the client's own
     * shaded protobuf survives the agent's relocation.
     */
    private static void assertProtobufServed(int port) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(metricsUri(port))
                .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"),
                () -> response.headers().map().toString());
        // delimited MetricFamily messages: their names are plain UTF-8 strings in the bytes
        assertTrue(new String(response.body(), StandardCharsets.ISO_8859_1).contains("llm_budget_calls_total"));
    }

    /** The ledger's lines so far; a line still being written counts as none yet. */
    private long ledgerLines() throws IOException {
        try {
            return Ledger.read(AgentConfigFile.ledger(dir)).size();
        } catch (java.io.UncheckedIOException partialLine) {
            return -1;
        }
    }

    private static String scrapeText(int port) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(metricsUri(port)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }

    private static URI metricsUri(int port) {
        return URI.create("http://127.0.0.1:" + port + "/metrics");
    }

}
