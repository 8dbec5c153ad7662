package dev.llmbudget.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JVM start to the demo app's {@code main}, with and without the agent: the time from launching
 * {@code java} to the first line {@code main} prints, launches alternating, median of each.
 */
public final class StartupTime {
    /** Medians in nanoseconds over {@code launches} launches each. */
    public record Result(int launches, long medianWithAgent, long medianWithout) {
        public long added() {
            return medianWithAgent - medianWithout;
        }
    }

    private StartupTime() {
    }

    public static Result run(Path agentJar, Path demoJar, Path workDir, int launches) throws IOException, InterruptedException {
        Path config = workDir.resolve("startup.properties");
        // the demo's own budget; no ledger, so killed launches leave nothing behind
        Files.writeString(config, "budget.demo-run.limit-usd=0.50\nledger.enabled=false\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> without = List.of(java, "-jar", demoJar.toAbsolutePath().toString());
        List<String> with = List.of(java, "-javaagent:" + agentJar.toAbsolutePath() + "=config=" + config.toAbsolutePath(),
                "-jar", demoJar.toAbsolutePath().toString());
        timeToFirstLine(with);
        timeToFirstLine(without);
        long[] agentTimes = new long[launches];
        long[] baseTimes = new long[launches];
        for (int i = 0; i < launches; i++) {
            if (i % 2 == 0) {
                agentTimes[i] = timeToFirstLine(with);
                baseTimes[i] = timeToFirstLine(without);
            } else {
                baseTimes[i] = timeToFirstLine(without);
                agentTimes[i] = timeToFirstLine(with);
            }
        }
        return new Result(launches, Stats.median(agentTimes), Stats.median(baseTimes));
    }

    private static long timeToFirstLine(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            long elapsed = System.nanoTime() - start;
            if (line == null) {
                throw new IOException("no output from " + command);
            }
            return elapsed;
        } finally {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
