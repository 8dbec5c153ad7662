package dev.llmbudget.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Added latency per guarded call, end to end: two child JVMs make the same chat call through the real
 * OpenAI SDK against {@link InstantOpenAi}, one with the agent attached (in-memory store, ledger on),
 * one without. Batches alternate between them, so a noisy machine slows both alike.
 */
public final class EndToEndLatency {
    /** What one run measured, in nanoseconds and bytes. */
    public record Result(int callsEach, long medianWithAgent, long medianWithout, long p99WithAgent, long p99Without,
                         long heapWithAgent, long heapWithout) {
        public long addedMedian() {
            return medianWithAgent - medianWithout;
        }

        public long addedP99() {
            return p99WithAgent - p99Without;
        }
    }

    private EndToEndLatency() {
    }

    /**
     * @param mode {@code fresh} (a new 1,000-token prompt every call) or {@code loop} (resent history + a new turn)
     * @param storeLines the agent's store configuration, e.g. {@code store=memory}
     */
    public static Result run(Path agentJar, String hostClasspath, Path workDir, String mode, List<String> storeLines,
                             int warmupCalls, int rounds, int batch) throws IOException {
        return run(agentJar, hostClasspath, workDir, mode + "-" + storeLines.get(0).replace("store=", ""), mode, storeLines,
                warmupCalls, rounds, batch);
    }

    /**
     * As {@link #run(Path, String, Path, String, List, int, int, int)}, its files named by {@code label}: two runs of one
     * store and mode with different lines ({@code storeLines} may carry any configuration) need two labels.
     */
    public static Result run(Path agentJar, String hostClasspath, Path workDir, String label, String mode,
                             List<String> storeLines, int warmupCalls, int rounds, int batch) throws IOException {
        Path config = workDir.resolve("agent-" + label + ".properties");
        List<String> lines = new ArrayList<>(List.of("budget.bench.limit-usd=1000000",
                "ledger.path=" + workDir.resolve("ledger-" + label + ".jsonl").toAbsolutePath()));
        lines.addAll(storeLines);
        if (storeLines.contains("store=journal")) {
            lines.add("store.journal.path=" + workDir.resolve("spend-" + label + ".journal").toAbsolutePath());
        }
        Files.writeString(config, String.join("\n", lines) + "\n");
        List<String> common = List.of("-Xmx512m", "-XX:+UseSerialGC");
        List<String> withAgentArgs = new ArrayList<>(common);
        withAgentArgs.add("-javaagent:" + agentJar.toAbsolutePath() + "=config=" + config.toAbsolutePath());
        String profile = System.getProperty("bench.profile");
        if (profile != null && !profile.equals("false")) {
            // -Dbench.profile=true (JFR's "profile" settings) or =/path/settings.jfc: a flight recording of
            // the agent's child, to see what dominates its cost
            withAgentArgs.add("-XX:StartFlightRecording=settings=" + (profile.equals("true") ? "profile" : profile)
                    + ",filename=" + workDir.resolve("with-agent-" + label + ".jfr").toAbsolutePath());
        }
        try (InstantOpenAi provider = new InstantOpenAi();
             ChildProcess withAgent = ChildProcess.start(withAgentArgs, hostClasspath, LatencyHost.class.getName(),
                     List.of(provider.baseUrl()), workDir.resolve("with-agent.err"));
             ChildProcess without = ChildProcess.start(common, hostClasspath, LatencyHost.class.getName(),
                     List.of(provider.baseUrl()), workDir.resolve("without-agent.err"))) {
            withAgent.ask(null, "ready");
            without.ask(null, "ready");
            withAgent.ask("calls " + warmupCalls + " " + mode, "latencies ");
            without.ask("calls " + warmupCalls + " " + mode, "latencies ");
            long[] agentSample = new long[rounds * batch];
            long[] baseSample = new long[rounds * batch];
            for (int round = 0; round < rounds; round++) {
                boolean agentFirst = round % 2 == 0;
                long[] first = parse(ask(agentFirst ? withAgent : without, batch, mode));
                long[] second = parse(ask(agentFirst ? without : withAgent, batch, mode));
                System.arraycopy(agentFirst ? first : second, 0, agentSample, round * batch, batch);
                System.arraycopy(agentFirst ? second : first, 0, baseSample, round * batch, batch);
            }
            long heapAgent = Long.parseLong(withAgent.ask("heap", "heap "));
            long heapBase = Long.parseLong(without.ask("heap", "heap "));
            return new Result(rounds * batch, Stats.median(agentSample), Stats.median(baseSample),
                    Stats.percentile(agentSample, 99), Stats.percentile(baseSample, 99), heapAgent, heapBase);
        }
    }

    private static String ask(ChildProcess child, int batch, String mode) throws IOException {
        return child.ask("calls " + batch + " " + mode, "latencies ");
    }

    private static long[] parse(String csv) {
        String[] parts = csv.split(",");
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Long.parseLong(parts[i]);
        }
        return values;
    }
}
