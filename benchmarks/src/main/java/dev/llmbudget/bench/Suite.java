package dev.llmbudget.bench;

import dev.llmbudget.bench.core.CoreFigures;
import dev.llmbudget.bench.e2e.EndToEndLatency;
import dev.llmbudget.bench.e2e.StartupTime;
import dev.llmbudget.bench.memory.HeapAfterCalls;
import dev.llmbudget.bench.store.StoreLatency;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.store.journal.JournalStore;
import dev.llmbudget.store.redis.RedisOptions;
import dev.llmbudget.store.redis.RedisStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every performance figure of the agent against its target, in one run from the repository root:
 *
 * <pre>mvn -q -DskipTests package &amp;&amp; java -jar benchmarks/target/benchmarks.jar</pre>
 *
 * Prints a table (figure, target, measured, pass/fail) and writes {@code docs/benchmarks.md}. Each
 * comparison with a baseline (agent vs. no agent) is measured in this one run, interleaved.
 */
public final class Suite {
    private static final String COMMAND = "mvn -q -DskipTests package && java -jar benchmarks/target/benchmarks.jar";

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path agentJar = existing(root.resolve("agent/target/llm-budget-agent.jar"));
        Path demoJar = existing(root.resolve("demo-app/target/demo-app.jar"));
        String hostClasspath = root.resolve("benchmarks/target/classes") + java.io.File.pathSeparator
                + Files.readString(existing(root.resolve("benchmarks/target/host-classpath.txt"))).strip();
        Path work = Files.createTempDirectory("llm-budget-bench");
        long started = System.nanoTime();
        List<Row> rows = new ArrayList<>();

        progress("end-to-end latency: OpenAI SDK against an instant local provider, agent vs. none, interleaved");
        EndToEndLatency.Result loop = EndToEndLatency.run(agentJar, hostClasspath, work, "loop", List.of("store=memory"), 3_000, 50, 200);
        latencyRows(rows, loop, "agent loop: resent ~1k-token history + new turn");
        EndToEndLatency.Result fresh = EndToEndLatency.run(agentJar, hostClasspath, work, "fresh", List.of("store=memory"), 3_000, 50, 200);
        latencyRows(rows, fresh, "a new ~1k-token prompt every call");

        progress("end-to-end latency with the journal store and the Redis store (agent loop)");
        EndToEndLatency.Result journal = EndToEndLatency.run(agentJar, hostClasspath, work, "loop", List.of("store=journal"), 3_000, 50, 200);
        storeRow(rows, "journal store", journal, loop, 80);
        if (RedisProbe.reachable()) {
            String prefix = "llmb-bench-" + Long.toHexString(System.nanoTime()) + ":";
            try {
                EndToEndLatency.Result redis = EndToEndLatency.run(agentJar, hostClasspath, work, "loop",
                        List.of("store=redis", "store.redis.key-prefix=" + prefix), 3_000, 50, 200);
                storeRow(rows, "Redis store, loopback", redis, loop, 250);
            } finally {
                RedisProbe.deleteAll(prefix);
            }
        } else {
            rows.add(Row.pending("Added latency per call, median (Redis store, loopback)", 250, "µs",
                    "no Redis at 127.0.0.1:6379 (start one: redis-server --daemonize yes --save \"\")"));
        }

        progress("end-to-end latency with alert-at thresholds and the Prometheus endpoint on (agent loop)");
        EndToEndLatency.Result watched = EndToEndLatency.run(agentJar, hostClasspath, work, "loop-watched", "loop",
                List.of("store=memory", "budget.bench.alert-at=0.5,0.8,0.95", "metrics.prometheus.port=" + freePort()),
                3_000, 50, 200);
        rows.add(Row.info("Added latency per call, median (memory store; agent loop; alert-at and Prometheus metrics on)",
                micros(watched.addedMedian()), "µs", String.format(Locale.ROOT,
                        "with %.1f µs, without %.1f µs; their own share %.1f µs (the plain memory-store run's added subtracted);"
                                + " p99 added %.1f µs", micros(watched.medianWithAgent()), micros(watched.medianWithout()),
                        micros(watched.addedMedian() - loop.addedMedian()), micros(watched.addedP99()))));

        progress("the stores alone: reserve + settle in this JVM (memory, journal, Redis)");
        storeAloneRows(rows, work);

        progress("decision core and token counting (JMH)");
        CoreFigures.Figures core = CoreFigures.measure(VerboseMode.SILENT);
        rows.add(Row.atMost("Decision core: reserve + settle, 1 thread", core.reserveSettle().value() / 1000.0, 1, "µs",
                "JMH average, tokens already counted"));
        rows.add(Row.atLeast("Decision core: 2 threads / 1 thread throughput, separate budgets", core.twoToOneThreadRatio(), 1.5, "×",
                String.format(Locale.ROOT, "%,.0f vs %,.0f ops/s", core.separateBudgets2Threads().value(),
                        core.separateBudgets1Thread().value())));
        rows.add(Row.info("Control: 2 threads / 1 thread, each thread its own guard, one shared store", core.controlTwoToOneThreadRatio(), "×",
                "what this machine's two vCPUs give this run; the row above is only meaningful next to it"));
        rows.add(Row.atMost("Token counting: 100k-token prompt never seen before (gpt-4o, o200k)", core.tokens100k().value(), 10, "ms",
                "exact, jtokkit"));
        rows.add(Row.atMost("Token counting: the same 100k-token prompt resent (agent loop)", core.tokens100kResent().value(), 10, "ms",
                "exact, from the counter's cache of texts already counted"));
        rows.add(Row.atMost("Token counting: one 200 KB word", core.word200kb().value(), 10, "ms",
                "bounded by byte length past tokens.exact-count.max-word-chars"));
        rows.add(Row.atMost("Token counting: 10,000-level nested JSON", core.nestedJson10k().value(), 10, "ms",
                "its 10,000-character run of closing braces is bounded by byte length"));

        progress("startup: JVM launch to the demo's main, agent vs. none, alternating");
        StartupTime.Result startup = StartupTime.run(agentJar, demoJar, work, 10);
        rows.add(Row.atMost("Startup to the demo's main, added (median of 10)", millis(startup.added()), 250, "ms",
                String.format(Locale.ROOT, "with %.0f ms, without %.0f ms", millis(startup.medianWithAgent()),
                        millis(startup.medianWithout()))));

        progress("heap held after 1,000,000 guarded calls");
        HeapAfterCalls.Result heap = HeapAfterCalls.run(1_000_000, work);
        rows.add(Row.atMost("Heap held after 1,000,000 guarded calls", heap.held() / 1_048_576.0, 20, "MB",
                "guard + memory store + ledger in-process; after full GC"));
        rows.add(Row.info("Heap after the end-to-end runs, agent minus none", (fresh.heapWithAgent() - fresh.heapWithout()) / 1_048_576.0, "MB",
                String.format(Locale.ROOT, "after %,d SDK calls each, full GC; mostly the o200k vocabulary (see notes)",
                        fresh.callsEach() + 3_000)));

        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        String table = Row.markdown(rows);
        System.out.println();
        System.out.print(table);
        System.out.printf(Locale.ROOT, "%nrun time: %d s%n", seconds);
        Path doc = root.resolve("docs/benchmarks.md");
        Files.createDirectories(doc.getParent());
        Files.writeString(doc, document(table, seconds), StandardCharsets.UTF_8);
        System.out.println("written: " + doc);
        String profile = System.getProperty("bench.profile");
        if (profile != null && !profile.equals("false")) {
            System.out.println("flight recordings of the agent's child JVMs are in " + work);
        } else {
            deleteRecursively(work);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Each store alone, one thread, 5,000 warm-up and 20,000 timed reserve + settle pairs. Targets: the
     * end-to-end targets' room above the memory store's (80 - 50 µs for the journal, 250 - 50 µs for Redis).
     */
    private static void storeAloneRows(List<Row> rows, Path work) {
        StoreLatency.Result memory = StoreLatency.measure(new MemoryStore(), 5_000, 20_000);
        try (JournalStore journal = JournalStore.open(work.resolve("store-alone.journal"), Duration.ofMillis(100), false,
                Clock.systemUTC())) {
            StoreLatency.Result result = StoreLatency.measure(journal, 5_000, 20_000);
            rows.add(Row.atMost("Store alone: reserve + settle, median (journal)", micros(result.medianNanos()), 30, "µs",
                    String.format(Locale.ROOT, "p99 %.1f µs; memory store %.2f µs (p99 %.2f)", micros(result.p99Nanos()),
                            micros(memory.medianNanos()), micros(memory.p99Nanos()))));
        }
        if (!RedisProbe.reachable()) {
            rows.add(Row.pending("Store alone: reserve + settle, median (Redis, loopback)", 200, "µs", "no Redis at 127.0.0.1:6379"));
            return;
        }
        String prefix = "llmb-bench-" + Long.toHexString(System.nanoTime()) + ":";
        try (RedisStore redis = new RedisStore(RedisOptions.of("redis://" + RedisProbe.HOST + ":" + RedisProbe.PORT)
                .withKeyPrefix(prefix))) {
            StoreLatency.Result result = StoreLatency.measure(redis, 5_000, 20_000);
            rows.add(Row.atMost("Store alone: reserve + settle, median (Redis, loopback)", micros(result.medianNanos()), 200, "µs",
                    String.format(Locale.ROOT, "p99 %.1f µs; two EVALSHA round trips", micros(result.p99Nanos()))));
        } finally {
            RedisProbe.deleteAll(prefix);
        }
    }

    /** A store's end-to-end row; the detail gives the store's own share, this run's memory-store figure subtracted. */
    private static void storeRow(List<Row> rows, String store, EndToEndLatency.Result result, EndToEndLatency.Result memory,
                                 double targetMicros) {
        rows.add(Row.atMost("Added latency per call, median (" + store + "; agent loop)", micros(result.addedMedian()), targetMicros, "µs",
                String.format(Locale.ROOT, "with %.1f µs, without %.1f µs; the store's own share %.1f µs (memory store's added subtracted);"
                                + " p99 added %.1f µs", micros(result.medianWithAgent()), micros(result.medianWithout()),
                        micros(result.addedMedian() - memory.addedMedian()), micros(result.addedP99()))));
    }

    private static void latencyRows(List<Row> rows, EndToEndLatency.Result result, String workload) {
        rows.add(Row.atMost("Added latency per call, median (memory store; " + workload + ")", micros(result.addedMedian()), 50, "µs",
                String.format(Locale.ROOT, "%,d calls each; with %.1f µs, without %.1f µs", result.callsEach(),
                        micros(result.medianWithAgent()), micros(result.medianWithout()))));
        rows.add(Row.atMost("Added latency per call, p99 (memory store; " + workload + ")", micros(result.addedP99()), 200, "µs",
                String.format(Locale.ROOT, "with %.1f µs, without %.1f µs", micros(result.p99WithAgent()),
                        micros(result.p99Without()))));
    }

    private static String document(String table, long seconds) {
        return "# Benchmarks\n\n"
                + "Written by `" + COMMAND + "` (run from the repository root). Targets are from issue 3;\n"
                + "every comparison with a baseline is measured in the same run, interleaved, since the machine is noisy.\n\n"
                + "- date: " + LocalDate.now(ZoneOffset.UTC) + "\n"
                + "- machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", max heap " + Runtime.getRuntime().maxMemory() / 1_048_576 + " MB\n"
                + "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + "\n"
                + "- run time: " + seconds + " s\n\n"
                + table + "\n" + Notes.TEXT;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static Path existing(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + " is missing: run `mvn -q -DskipTests package` from the repository root first");
        }
        return path;
    }

    private static void progress(String step) {
        System.out.println("[benchmarks] " + step + " ...");
    }
}
