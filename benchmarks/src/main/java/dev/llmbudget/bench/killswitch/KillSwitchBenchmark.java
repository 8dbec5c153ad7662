package dev.llmbudget.bench.killswitch;

import dev.llmbudget.core.HaltSwitch;
import dev.llmbudget.ops.killswitch.FileKillSwitch;
import dev.llmbudget.ops.killswitch.JmxKillSwitch;
import dev.llmbudget.ops.killswitch.KillSwitches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What the kill-switch check adds to every call ({@code HaltSwitch.check()}, asked first in pre-flight), JMH
 * average time per check:
 * <ul>
 *   <li>{@link #none}: no switch configured ({@code jmx.enabled=false}, no {@code killswitch.file});</li>
 *   <li>{@link #jmxOnly}: the default, the MBean's halt flag (a volatile read);</li>
 *   <li>{@link #jmxAndFileAbsent}: the MBean's flag and a {@code killswitch.file} that does not exist: the
 *       usual production case, one {@code stat} per call;</li>
 *   <li>{@link #jmxAndFileAbsent2Threads}: the same on two threads at once;</li>
 *   <li>{@link #jmxAndFilePresent}: halted by the file: two {@code stat}s per call, its reason read once;</li>
 *   <li>{@link #nioFilesExistsAbsent} and {@link #ioFileExistsAbsent}: for comparison, the bare system call
 *       on the missing file, through {@code java.nio.file.Files.exists} (what the switch uses: {@code access},
 *       no exception on the default file system) and {@code java.io.File.exists()} ({@code stat}, the path
 *       converted to bytes on each call).</li>
 * </ul>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.llmbudget.bench.killswitch.KillSwitchBenchmark}
 * (about 1 minute).
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KillSwitchBenchmark {

    @State(Scope.Benchmark)
    public static class Switches {
        Path dir;
        Path absent;
        java.io.File absentFile;
        HaltSwitch jmx;
        HaltSwitch jmxAndFileAbsent;
        HaltSwitch jmxAndFilePresent;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("llm-budget-killswitch-bench");
            absent = dir.resolve("llm-budget.halt");
            absentFile = absent.toFile();
            Path present = Files.writeString(dir.resolve("present.halt"), "benchmark: halted\n");
            jmx = new JmxKillSwitch("bench");
            jmxAndFileAbsent = KillSwitches.of(new JmxKillSwitch("bench"), new FileKillSwitch(absent));
            jmxAndFilePresent = KillSwitches.of(new JmxKillSwitch("bench"), new FileKillSwitch(present));
            if (jmxAndFileAbsent.check() != null || jmxAndFilePresent.check() == null) {
                throw new IllegalStateException("the benchmark's switches are not as intended");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            Files.deleteIfExists(dir.resolve("present.halt"));
            Files.deleteIfExists(dir);
        }
    }

    @Benchmark
    public HaltSwitch.Halt none() {
        return HaltSwitch.NONE.check();
    }

    @Benchmark
    public HaltSwitch.Halt jmxOnly(Switches switches) {
        return switches.jmx.check();
    }

    @Benchmark
    public HaltSwitch.Halt jmxAndFileAbsent(Switches switches) {
        return switches.jmxAndFileAbsent.check();
    }

    @Benchmark
    @Threads(2)
    public HaltSwitch.Halt jmxAndFileAbsent2Threads(Switches switches) {
        return switches.jmxAndFileAbsent.check();
    }

    @Benchmark
    public HaltSwitch.Halt jmxAndFilePresent(Switches switches) {
        return switches.jmxAndFilePresent.check();
    }

    @Benchmark
    public boolean nioFilesExistsAbsent(Switches switches) {
        return Files.exists(switches.absent);
    }

    @Benchmark
    public boolean ioFileExistsAbsent(Switches switches) {
        return switches.absentFile.exists();
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include("^" + KillSwitchBenchmark.class.getName().replace(".", "\\.") + "\\.").build()).run();
    }
}
