package dev.llmbudget.ops.metrics;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Prometheus client's HTTP server ({@code /metrics}, {@code /-/healthy}) on the configured address only, run so
 * that it cannot change how the host's JVM behaves:
 * <ul>
 *   <li>on daemon threads of its own (the JDK server's dispatcher thread inherits daemon from the pool thread that
 *       starts it), so it never keeps the host's JVM alive, and named {@code llm-budget-agent-metrics-N} in a thread
 *       dump;</li>
 *   <li>two threads at most, idle ones ending after a minute: scrapes are rare and serial;</li>
 *   <li>without the JVM-wide system properties the client's {@code HTTPServer} class sets when it is initialised
 *       ({@code sun.net.httpserver.maxReqTime=60} and {@code maxRspTime=600}): the JDK reads them once, for every
 *       {@code com.sun.net.httpserver} server in the JVM, so a host serving slow uploads or long streams that way
 *       would have them cut after one and ten minutes.</li>
 * </ul>
 */
final class MetricsHttpServer {
    static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
    static final String MAX_RESPONSE_TIME = "sun.net.httpserver.maxRspTime";
    private static final int THREADS = 2;
    private static final int QUEUED_REQUESTS = 16;

    private MetricsHttpServer() {
    }

    /** Listens on {@code at} and serves {@code registry}; throws if the address cannot be bound. */
    static HTTPServer start(MetricsEndpoint at, PrometheusRegistry registry, PrometheusProperties properties) throws IOException {
        initializeWithoutSystemProperties();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), new DaemonThreads(), new WaitForRoom());
        executor.allowCoreThreadTimeOut(true);
        try {
            return HTTPServer.builder(properties).hostname(at.host()).port(at.port()).registry(registry)
                    .executorService(executor).buildAndStart();
        } catch (IOException | RuntimeException | Error failed) {
            executor.shutdownNow();
            throw failed;
        }
    }

    /**
     * Initialises {@code HTTPServer} and takes back the two system properties its initialiser sets if the JVM had
     * not set them, before the first server reads them. A value the host set is left as it is.
     */
    private static void initializeWithoutSystemProperties() {
        boolean requestTimeSet = System.getProperties().containsKey(MAX_REQUEST_TIME);
        boolean responseTimeSet = System.getProperties().containsKey(MAX_RESPONSE_TIME);
        try {
            Class.forName(HTTPServer.class.getName(), true, MetricsHttpServer.class.getClassLoader());
        } catch (ClassNotFoundException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        } finally {
            if (!requestTimeSet) {
                clearIfSetTo(MAX_REQUEST_TIME, "60");
            }
            if (!responseTimeSet) {
                clearIfSetTo(MAX_RESPONSE_TIME, "600");
            }
        }
    }

    private static void clearIfSetTo(String property, String value) {
        if (value.equals(System.getProperty(property))) {
            System.clearProperty(property);
        }
    }

    /** The pool's threads: daemon, named as the agent's. */
    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "llm-budget-agent-metrics-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }

    /**
     * With both threads busy and the queue full, the JDK server's dispatcher waits for room rather than drop the
     * exchange (which would leave its connection open until it timed out): a flood of scrapes slows itself down.
     */
    private static final class WaitForRoom implements RejectedExecutionHandler {
        @Override
        public void rejectedExecution(Runnable exchange, ThreadPoolExecutor executor) {
            if (executor.isShutdown()) {
                throw new RejectedExecutionException("the metrics endpoint is closed");
            }
            try {
                executor.getQueue().put(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectedExecutionException("interrupted while waiting to queue a metrics request", e);
            }
        }
    }
}
