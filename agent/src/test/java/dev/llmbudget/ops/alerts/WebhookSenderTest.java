package dev.llmbudget.ops.alerts;

import static dev.llmbudget.ops.alerts.Receiver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.core.Alert;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {
    private static final Alert THRESHOLD = new Alert(Alert.Kind.THRESHOLD, Instant.parse("2026-11-23T17:42:00Z"),
            "budget.daily.alert-at", "daily", "tenant acme", 20_130_000, 25_000_000, 8000,
            Instant.parse("2026-11-24T00:00:00Z"),
            "budget 'daily' (tenant acme) reached 80% of $25.00: spent $20.13, window ends 2026-11-24T00:00Z");

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    @AutoClose
    final Closer closer = new Closer();

    private Receiver receiver() throws Exception {
        return closer.add(new Receiver());
    }

    private WebhookSender sender(URI url, int retries, int queueSize, long backoffMillis) {
        return closer.add(WebhookSender.start(new WebhookSender.Settings(url, Duration.ofSeconds(5), retries, queueSize),
                warnings::add, backoffMillis));
    }

    private static void idle(WebhookSender sender) throws InterruptedException {
        await("the webhook queue to drain", 20, sender::idle);
    }

    /** Offers one alert to a new sender and waits until it is delivered or given up. */
    private void postOne(URI url, int retries, long backoffMillis) throws InterruptedException {
        WebhookSender sender = sender(url, retries, 10, backoffMillis);
        sender.offer(THRESHOLD);
        idle(sender);
    }

    private static long pauseMillis(List<Receiver.Request> requests, int before) {
        return TimeUnit.NANOSECONDS.toMillis(requests.get(before + 1).atNanos() - requests.get(before).atNanos());
    }

    private void assertNoSecretLogged() {
        for (String line : warnings) {
            assertFalse(line.contains("SECRET") || line.contains("/services"), "logged the URL's secret: " + line);
        }
    }

    @Test
    void twoServerErrorsAreRetriedWithGrowingPausesThenDeliveredOnce() throws Exception {
        Receiver receiver = receiver().answer(500).answer(503);
        postOne(receiver.url(), 3, 200);
        List<Receiver.Request> requests = receiver.requests();
        assertEquals(3, requests.size());
        long firstPause = pauseMillis(requests, 0);
        long secondPause = pauseMillis(requests, 1);
        assertTrue(firstPause >= 190 && secondPause >= 390, firstPause + " ms, then " + secondPause + " ms");
        assertEquals(List.of(), warnings, "delivered: nothing to warn about");
    }

    @Test
    void aClientErrorIsNotRetriedAndIsLoggedWithoutTheUrlSecret() throws Exception {
        Receiver receiver = receiver().answer(400);
        postOne(receiver.url(), 3, 10);
        assertEquals(1, receiver.requests().size());
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("HTTP 400") && warnings.get(0).contains("http://127.0.0.1"), warnings.get(0));
        assertNoSecretLogged();
    }

    @Test
    void tooManyRequestsHonoursRetryAfter() throws Exception {
        Receiver receiver = receiver().answer(429, "1");
        postOne(receiver.url(), 3, 10);
        List<Receiver.Request> requests = receiver.requests();
        assertEquals(2, requests.size());
        long pause = pauseMillis(requests, 0);
        assertTrue(pause >= 990, "paused " + pause + " ms for Retry-After: 1");
    }

    @Test
    void afterTheLastRetryTheAlertIsDroppedWithAWarning() throws Exception {
        Receiver receiver = receiver().answer(502).answer(502).answer(502).answer(502);
        postOne(receiver.url(), 2, 10);
        assertEquals(3, receiver.requests().size());
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("HTTP 502, 3 attempt(s)"), warnings.get(0));
    }

    @Test
    void noConnectionIsRetriedThenWarnedWithoutTheUrlSecret() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        postOne(URI.create("http://user:pw@127.0.0.1:" + port + "/services/SECRET?k=SECRET"), 1, 10);
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("2 attempt(s)") && warnings.get(0).contains("ConnectException"), warnings.get(0));
        assertFalse(warnings.get(0).contains("pw"), warnings.get(0));
        assertNoSecretLogged();
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlockingTheCaller() throws Exception {
        Receiver receiver = receiver();
        receiver.hang();
        WebhookSender sender = sender(receiver.url(), 3, 2, 10);
        AlertDispatcher dispatcher = new AlertDispatcher(sender, line -> { });
        long slowest = 0;
        for (int i = 0; i < 100; i++) {
            long start = System.nanoTime();
            dispatcher.raise(THRESHOLD);
            slowest = Math.max(slowest, System.nanoTime() - start);
        }
        assertTrue(TimeUnit.NANOSECONDS.toMillis(slowest) < 100, "raise() took " + slowest + " ns");
        long dropped = sender.dropped();
        assertTrue(dropped == 97 || dropped == 98, "dropped " + dropped);
        assertEquals(1, warnings.stream().filter(line -> line.contains("queue-size (2) is full")).count(), warnings::toString);
        assertNoSecretLogged();

        receiver.release();
        idle(sender);
        assertEquals(100 - dropped, receiver.requests().size());
    }

    @Test
    void closePostsWhatIsQueued() throws Exception {
        Receiver receiver = receiver();
        WebhookSender sender = WebhookSender.start(new WebhookSender.Settings(receiver.url(), Duration.ofSeconds(5), 3, 10),
                warnings::add, 10);
        for (int i = 0; i < 5; i++) {
            sender.offer(THRESHOLD);
        }
        sender.close();
        assertEquals(5, receiver.requests().size());
        sender.offer(THRESHOLD);
        assertEquals(1, sender.dropped(), "closed: dropped");
    }

    @Test
    void theBodyIsJsonWithSlacksTextAndTheGenericFields() throws Exception {
        Receiver receiver = receiver();
        WebhookSender sender = sender(receiver.url(), 0, 10, 10);
        sender.offer(THRESHOLD);
        sender.offer(new Alert(Alert.Kind.THRESHOLD, THRESHOLD.time(), "budget.b.alert-at", "b", "global", 8_750_000,
                10_000_000, 8750, null, "87.5%"));
        sender.offer(Alert.of(Alert.Kind.HALT, THRESHOLD.time(), "jmx:halt", null, "HALTED by jmx"));
        idle(sender);
        List<JsonNode> bodies = receiver.bodies();
        assertEquals(3, bodies.size());

        JsonNode body = bodies.get(0);
        assertTrue(body.get("text").asText().startsWith("llm-budget-agent threshold on "), body.toString());
        assertTrue(body.get("text").asText().endsWith(THRESHOLD.message()), body.toString());
        assertEquals("threshold", body.get("kind").asText());
        assertEquals("2026-11-23T17:42:00Z", body.get("time").asText());
        assertEquals("budget.daily.alert-at", body.get("rule").asText());
        assertEquals("daily", body.get("budget").asText());
        assertEquals("tenant acme", body.get("partition").asText());
        assertEquals("20.13", body.get("spentUsd").asText());
        assertTrue(body.get("spentUsd").isTextual());
        assertEquals("25.00", body.get("limitUsd").asText());
        assertEquals(20_130_000, body.get("spentMicroUsd").longValue());
        assertEquals(25_000_000, body.get("limitMicroUsd").longValue());
        assertEquals(80, body.get("percent").intValue());
        assertEquals("2026-11-24T00:00:00Z", body.get("windowEnd").asText());
        assertEquals(THRESHOLD.message(), body.get("message").asText());
        assertFalse(body.get("host").asText().isEmpty());
        assertEquals(ProcessHandle.current().pid(), body.get("pid").longValue());

        assertEquals("87.5", bodies.get(1).get("percent").decimalValue().toPlainString());
        assertTrue(bodies.get(1).get("windowEnd").isNull());

        JsonNode halt = bodies.get(2);
        assertEquals("halt", halt.get("kind").asText());
        assertFalse(halt.has("percent"), "only a threshold alert has a percent");
        assertTrue(halt.get("spentUsd").isNull() && halt.get("limitMicroUsd").isNull(), halt.toString());
        assertTrue(halt.get("text").asText().endsWith("HALTED by jmx"));
    }
}
