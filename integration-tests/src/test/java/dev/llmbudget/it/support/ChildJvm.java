package dev.llmbudget.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts a host application in a child JVM, optionally with the real shaded agent jar, and collects its output. */
public final class ChildJvm {
    private static final long TIMEOUT_SECONDS = 120;

    private final Path javaHome;
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> env = new java.util.HashMap<>();
    private Path workingDir;
    private boolean okHttp5;

    private ChildJvm(Path javaHome) {
        this.javaHome = javaHome;
    }

    /** A child on the JDK running the tests. */
    public static ChildJvm onCurrentJdk() {
        return new ChildJvm(Path.of(System.getProperty("java.home")));
    }

    public static ChildJvm on(Path javaHome) {
        return new ChildJvm(javaHome);
    }

    public static Path agentJar() {
        Path jar = Path.of(System.getProperty("it.agentJar", "../agent/target/llm-budget-agent.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the agent jar " + jar + " is missing: run `mvn verify` from the repository root");
        }
        return jar;
    }

    /** Attaches the agent with this configuration file. */
    public ChildJvm withAgent(Path config) {
        jvmArgs.add("-javaagent:" + agentJar() + "=config=" + config);
        return this;
    }

    public ChildJvm withAgentNoArgs() {
        jvmArgs.add("-javaagent:" + agentJar());
        return this;
    }

    public ChildJvm systemProperty(String name, String value) {
        jvmArgs.add("-D" + name + "=" + value);
        return this;
    }

    public ChildJvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    public ChildJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * Runs the child on OkHttp 5 ({@code it.okhttp5Classpath}: okhttp-jvm, its Okio and Kotlin) instead of
     * the OkHttp 4.12 the SDKs bring: those jars first, and the host class path's OkHttp, Okio and Kotlin
     * standard library left out, so that one version of each is all the child can load.
     */
    public ChildJvm withOkHttp5() {
        okHttp5 = true;
        return this;
    }

    public ChildJvm workingDir(Path dir) {
        this.workingDir = dir;
        return this;
    }

    public Result run(Class<?> mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = command(mainClass, args);
        Path out = Files.createTempFile("child-out", ".txt");
        Path err = Files.createTempFile("child-err", ".txt");
        try {
            Process process = processBuilder(command, out, err).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child JVM did not finish in " + TIMEOUT_SECONDS + " s: " + command
                        + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts the child and returns at once: for tests that watch it run, or kill it. */
    public Running start(Class<?> mainClass, String... args) throws IOException {
        List<String> command = command(mainClass, args);
        Path out = Files.createTempFile("child-out", ".txt");
        Path err = Files.createTempFile("child-err", ".txt");
        return new Running(processBuilder(command, out, err).start(), out, err);
    }

    /** A child that is still running. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        public String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** How many lines of stdout start with {@code prefix} so far. */
        public long countLines(String prefix) throws IOException {
            return stdout().lines().filter(line -> line.startsWith(prefix)).count();
        }

        /** Waits until {@code condition} holds, failing with the child's output after {@code seconds}. */
        public void await(String what, long seconds, Check condition) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!condition.holds()) {
                if (!process.isAlive()) {
                    throw new AssertionError("the child exited before " + what + ":\n" + finished());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no " + what + " within " + seconds + " s:\n" + snapshot());
                }
                Thread.sleep(20);
            }
        }

        /** SIGKILL, as {@code kill -9}: no shutdown hook, no finally block runs in the child. */
        public Result kill9() throws Exception {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            return finished();
        }

        public Result waitFor() throws Exception {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child JVM did not finish in " + TIMEOUT_SECONDS + " s:\n" + snapshot());
            }
            return finished();
        }

        private Result finished() throws IOException {
            return new Result(process.isAlive() ? -1 : process.exitValue(), stdout(), Files.readString(err, StandardCharsets.UTF_8));
        }

        private String snapshot() throws IOException {
            return "--- stdout\n" + stdout() + "--- stderr\n" + Files.readString(err, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }

        public interface Check {
            boolean holds() throws Exception;
        }
    }

    private ProcessBuilder processBuilder(List<String> command, Path out, Path err) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("LLMBUDGET_"));
        builder.environment().putAll(env);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        return builder;
    }

    private List<String> command(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.add("-Xshare:auto");
        command.addAll(childJvmArgs());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(okHttp5 ? okHttp5Classpath() : hostClasspath());
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** {@code it.childJvmArgs} (see integration-tests/pom.xml): flags every child JVM starts with. */
    private static List<String> childJvmArgs() {
        String flags = System.getProperty("it.childJvmArgs", "").trim();
        return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
    }

    private static String hostClasspath() {
        String classpath = System.getProperty("it.hostClasspath");
        if (classpath == null) {
            throw new IllegalStateException("system property it.hostClasspath is not set: run the tests through Maven");
        }
        return classpath;
    }

    private static String okHttp5Classpath() {
        String okHttp5 = System.getProperty("it.okhttp5Classpath");
        if (okHttp5 == null) {
            throw new IllegalStateException("system property it.okhttp5Classpath is not set: run the tests through Maven");
        }
        List<String> entries = new ArrayList<>(List.of(okHttp5.split(java.io.File.pathSeparator)));
        for (String entry : hostClasspath().split(java.io.File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (!(name.startsWith("okhttp-") || name.startsWith("okio-") || name.startsWith("kotlin-stdlib"))) {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** What the child printed. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** The {@code CALL ...} lines, in order. */
        public List<String> calls() {
            return stdout.lines().filter(line -> line.startsWith("CALL ")).toList();
        }

        public List<String> callsWith(String outcome) {
            return calls().stream().filter(line -> line.startsWith("CALL " + outcome + " ")).toList();
        }

        public String line(String prefix) {
            return stdout.lines().filter(line -> line.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + this));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
