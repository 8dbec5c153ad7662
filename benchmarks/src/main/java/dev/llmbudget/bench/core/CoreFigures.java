package dev.llmbudget.bench.core;

import dev.llmbudget.bench.tokens.BenchPrompts;
import dev.llmbudget.bench.tokens.TokenCountingBenchmark;
import dev.llmbudget.tokens.TokenCounter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link DecisionCoreBenchmark} and {@link TokenCountingBenchmark} through the JMH Runner API, with the
 * settings their annotations give (1 fork, 3 × 1 s warm-up, 5 × 1 s measurement each), and returns the figures.
 * Forks run on this JVM's class path, so call it with benchmarks.jar (or the module's classes and
 * dependencies) on the class path:
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.llmbudget.bench.core.CoreFigures</pre>
 */
public final class CoreFigures {
    private static final String CORE = DecisionCoreBenchmark.class.getName();
    private static final String TOKENS = TokenCountingBenchmark.class.getName();

    private CoreFigures() {
    }

    /** One JMH score: the mean over the measurement iterations and its 99.9% confidence half-width. */
    public record Score(double value, double error, String unit) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.3f ± %,.3f %s", value, error, unit);
        }
    }

    /**
     * @param reserveSettle Guard pre-flight reserve + settle, one thread, average ns/op
     * @param separateBudgets1Thread the same op, throughput in ops/s, one thread on its own budget
     * @param separateBudgets2Threads the same op, total throughput in ops/s of two threads, each on its own budget
     * @param sharedStoreOwnGuards2Threads control: two threads, each with its own Guard over one shared store, ops/s
     * @param tokens100k TokenCounter.count for gpt-4o of about 100,000 tokens of prose in 24 messages never counted before, ms/op
     * @param tokens100kResent the same prompt counted again (as an agent loop resends it): from the counter's cache, ms/op
     * @param word200kb TokenCounter.count for gpt-4o of one 200 KB word without whitespace, ms/op
     * @param nestedJson10k TokenCounter.count for gpt-4o of 10,000 levels of nested JSON, ms/op
     */
    public record Figures(Score reserveSettle, Score separateBudgets1Thread, Score separateBudgets2Threads,
                          Score sharedStoreOwnGuards2Threads, Score tokens100k, Score tokens100kResent, Score word200kb, Score nestedJson10k) {

        /** Two threads' throughput over one thread's, on separate budgets: 2 means no contention at all. */
        public double twoToOneThreadRatio() {
            return separateBudgets2Threads.value() / separateBudgets1Thread.value();
        }

        /** The control's two-thread throughput (own guards, one shared store) over one thread's. */
        public double controlTwoToOneThreadRatio() {
            return sharedStoreOwnGuards2Threads.value() / separateBudgets1Thread.value();
        }

        /** The figures as plain numbers, in the units the names give. */
        public Map<String, Double> asMap() {
            Map<String, Double> map = new LinkedHashMap<>();
            map.put("reserveSettleNsPerOp", reserveSettle.value());
            map.put("separateBudgets1ThreadOpsPerSec", separateBudgets1Thread.value());
            map.put("separateBudgets2ThreadsOpsPerSec", separateBudgets2Threads.value());
            map.put("twoToOneThreadRatio", twoToOneThreadRatio());
            map.put("sharedStoreOwnGuards2ThreadsOpsPerSec", sharedStoreOwnGuards2Threads.value());
            map.put("controlTwoToOneThreadRatio", controlTwoToOneThreadRatio());
            map.put("tokenCount100kTokensMs", tokens100k.value());
            map.put("tokenCount100kTokensResentMs", tokens100kResent.value());
            map.put("tokenCount200kbWordMs", word200kb.value());
            map.put("tokenCountNestedJson10kMs", nestedJson10k.value());
            return map;
        }
    }

    /** Runs all seven benchmarks (about 1.5 minutes) with JMH's normal console output. */
    public static Figures measure() throws RunnerException {
        return measure(VerboseMode.NORMAL);
    }

    public static Figures measure(VerboseMode verbosity) throws RunnerException {
        Options options = new OptionsBuilder()
                .include("^" + quote(CORE) + "\\.")
                .include("^" + quote(TOKENS) + "\\.")
                .shouldFailOnError(true)
                .verbosity(verbosity)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        return new Figures(
                score(results, CORE + ".reserveSettle"),
                score(results, CORE + ".separateBudgets1Thread"),
                score(results, CORE + ".separateBudgets2Threads"),
                score(results, CORE + ".sharedStoreOwnGuards2Threads"),
                score(results, TOKENS + ".realistic100kTokens"),
                score(results, TOKENS + ".resent100kTokens"),
                score(results, TOKENS + ".word200kb"),
                score(results, TOKENS + ".nestedJson10kLevels"));
    }

    public static void main(String[] args) throws RunnerException {
        long start = System.nanoTime();
        Figures figures = measure();
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        TokenCounter counter = new TokenCounter();
        TokenCounter.Count realistic = counter.count("gpt-4o", BenchPrompts.realistic100k());
        TokenCounter.Count word = counter.count("gpt-4o", BenchPrompts.longWord200kb());
        TokenCounter.Count json = counter.count("gpt-4o", BenchPrompts.nestedJson10k());

        System.out.println();
        System.out.println("== llm-budget-agent core figures ==");
        System.out.printf(Locale.ROOT, "machine                                  : %d cores, Java %s (%s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
        System.out.printf(Locale.ROOT, "reserve+settle, 1 thread                 : %s%n", figures.reserveSettle());
        System.out.printf(Locale.ROOT, "separate budgets, 1 thread               : %s%n", figures.separateBudgets1Thread());
        System.out.printf(Locale.ROOT, "separate budgets, 2 threads (total)      : %s%n", figures.separateBudgets2Threads());
        System.out.printf(Locale.ROOT, "2-thread / 1-thread throughput           : %.2f%n", figures.twoToOneThreadRatio());
        System.out.printf(Locale.ROOT, "control: own guards, shared store, 2 thr : %s (%.2f x 1 thread)%n",
                figures.sharedStoreOwnGuards2Threads(), figures.controlTwoToOneThreadRatio());
        System.out.printf(Locale.ROOT, "token count gpt-4o, ~100k-token prompt   : %s  [%,d tokens, %s]%n",
                figures.tokens100k(), realistic.tokens(), realistic.method());
        System.out.printf(Locale.ROOT, "token count gpt-4o, same prompt resent   : %s  [from the counter's cache]%n",
                figures.tokens100kResent());
        System.out.printf(Locale.ROOT, "token count gpt-4o, one 200 KB word      : %s  [%,d tokens, %s]%n",
                figures.word200kb(), word.tokens(), word.method());
        System.out.printf(Locale.ROOT, "token count gpt-4o, 10,000-level JSON    : %s  [%,d tokens, %s]%n",
                figures.nestedJson10k(), json.tokens(), json.method());
        System.out.printf(Locale.ROOT, "run time                                 : %d s%n", seconds);
    }

    private static Score score(Collection<RunResult> results, String benchmark) {
        for (RunResult run : results) {
            if (run.getParams().getBenchmark().equals(benchmark)) {
                Result<?> primary = run.getPrimaryResult();
                return new Score(primary.getScore(), primary.getScoreError(), primary.getScoreUnit());
            }
        }
        throw new IllegalStateException("JMH returned no result for " + benchmark);
    }

    private static String quote(String className) {
        return className.replace(".", "\\.");
    }
}
