package dev.llmbudget.ops.alerts;

import dev.llmbudget.core.Alert;
import dev.llmbudget.log.AgentLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * POSTs alerts to {@code alerts.webhook.url} from one daemon thread, in the order raised. {@link #offer} never
 * waits: a full queue ({@code alerts.webhook.queue-size}) drops the alert, counts it and says so once per burst
 * (until the queue has drained again).
 *
 * <p>A POST that finds no connection (or times out), or is answered 5xx or 429, is sent again up to
 * {@code alerts.webhook.retries} times after 200 ms, 400 ms, 800 ms, ... (at most 5 s; a {@code Retry-After} of
 * seconds is honoured up to 30 s); any other answer but 2xx is not retried. Either way a lost alert is a WARN.
 * The URL is a secret (a Slack webhook's path is its key): the log names only its scheme and host.
 */
public final class WebhookSender implements AutoCloseable {
    static final String THREAD = "llm-budget-agent-webhook";
    private static final long BACKOFF_MAX_MILLIS = 5_000;
    private static final long RETRY_AFTER_MAX_SECONDS = 30;
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    /** {@code alerts.webhook.url}, {@code .timeout}, {@code .retries}, {@code .queue-size}. */
    public record Settings(URI url, Duration timeout, int retries, int queueSize) {
    }

    private final Settings settings;
    private final String where;
    private final Consumer<String> warn;
    private final long backoffStartMillis;
    private final BlockingQueue<Alert> queue;
    /** Built on the sender's thread: the first HttpClient of a JVM takes a second or more (TLS setup). */
    private HttpClient client;
    private final Thread worker;
    private final AtomicInteger unfinished = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean dropping = new AtomicBoolean();
    private volatile boolean closed;
    private volatile long closeDeadlineNanos;

    private WebhookSender(Settings settings, Consumer<String> warn, long backoffStartMillis) {
        this.settings = settings;
        this.where = settings.url().getScheme() + "://" + settings.url().getHost();
        this.warn = warn;
        this.backoffStartMillis = backoffStartMillis;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, settings.queueSize()));
        this.worker = new Thread(this::run, THREAD);
        this.worker.setDaemon(true);
    }

    /** Starts the sender's thread. */
    public static WebhookSender start(Settings settings) {
        return start(settings, AgentLog::warn, 200);
    }

    static WebhookSender start(Settings settings, Consumer<String> warn, long backoffStartMillis) {
        WebhookSender sender = new WebhookSender(settings, warn, backoffStartMillis);
        sender.worker.start();
        return sender;
    }

    public Settings settings() {
        return settings;
    }

    /** Queues the alert for POSTing, or drops it when the queue is full or the sender closed. Never blocks or throws. */
    public void offer(Alert alert) {
        unfinished.incrementAndGet();
        if (!closed && queue.offer(alert)) {
            return;
        }
        unfinished.decrementAndGet();
        long count = dropped.incrementAndGet();
        if (dropping.compareAndSet(false, true)) {
            log("alerts.webhook.queue-size (" + settings.queueSize() + ") is full" + (closed ? " or the agent is stopping" : "")
                    + ": alerts are dropped, not POSTed to " + where + ", until it catches up (" + count + " dropped so far)");
        }
    }

    /** Alerts dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** For tests: nothing queued and nothing being POSTed. */
    boolean idle() {
        return unfinished.get() == 0;
    }

    /** POSTs what is queued for up to two seconds, then stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closeDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        closed = true;
        try {
            worker.join(CLOSE_WAIT_MILLIS + 100);
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = unfinished.get();
        if (left > 0) {
            log(left + " alert(s) not POSTed to " + where + " before the agent stopped");
        }
    }

    private void run() {
        try {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        } catch (RuntimeException | LinkageError error) {
            log("cannot start an HTTP client for the webhook " + where + " (" + error + "); alerts are not POSTed");
            return;
        }
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        try {
            while (!(closed && (queue.isEmpty() || pastCloseDeadline(0)))) {
                Alert alert = queue.poll(250, TimeUnit.MILLISECONDS);
                if (alert != null) {
                    try {
                        deliver(alert, WebhookBody.of(alert, host, pid));
                    } catch (RuntimeException error) {
                        log("cannot POST an alert to " + where + ": " + redact(String.valueOf(error)));
                    } finally {
                        unfinished.decrementAndGet();
                    }
                }
                if (queue.isEmpty() && dropping.get()) {
                    dropping.set(false); // the burst is over: the next drop is logged again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Alert alert, byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("User-Agent", "llm-budget-agent")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long backoff = backoffStartMillis;
        for (int attempt = 0; ; attempt++) {
            String failure;
            long pause = backoff;
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return;
                }
                failure = "HTTP " + status;
                if (status != 429 && status < 500) {
                    log("the webhook " + where + " answered " + failure + " to the " + alert.kind().label() + " alert of "
                            + alert.rule() + "; not retried, the alert is lost (check alerts.webhook.url)");
                    return;
                }
                pause = retryAfterMillis(response).orElse(backoff);
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + redact(e.getMessage()));
            }
            if (attempt >= settings.retries() || pastCloseDeadline(pause)) {
                log("cannot POST the " + alert.kind().label() + " alert of " + alert.rule() + " to the webhook " + where
                        + " (" + failure + ", " + (attempt + 1) + " attempt(s)); the alert is lost");
                return;
            }
            Thread.sleep(pause);
            backoff = Math.min(backoff * 2, BACKOFF_MAX_MILLIS);
        }
    }

    /** Whether waiting {@code pauseMillis} more would run past the two seconds {@link #close} allows. */
    private boolean pastCloseDeadline(long pauseMillis) {
        return closed && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) - closeDeadlineNanos > 0;
    }

    private static Optional<Long> retryAfterMillis(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After");
        if (value.isEmpty() || !value.get().trim().matches("\\d{1,9}")) {
            return Optional.empty();
        }
        return Optional.of(Math.min(Long.parseLong(value.get().trim()), RETRY_AFTER_MAX_SECONDS) * 1000);
    }

    /** An exception's message without the URL (its path or query may be the webhook's secret). */
    private String redact(String message) {
        return message.replace(settings.url().toString(), where);
    }

    private void log(String message) {
        try {
            warn.accept(message);
        } catch (RuntimeException ignored) {
            // the log is best effort
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }
}
