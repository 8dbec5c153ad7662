package dev.llmbudget.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A child JVM driven line by line over stdin/stdout; its stderr goes to a file for the post-mortem. */
final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader replies;
    private final Path stderr;

    private ChildProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildProcess start(List<String> jvmArgs, String classpath, String mainClass, List<String> args, Path stderr)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildProcess(process, stderr);
    }

    /** Sends a command and returns the reply line, which must start with {@code expectedPrefix}. */
    String ask(String command, String expectedPrefix) throws IOException {
        if (command != null) {
            commands.println(command);
        }
        String reply = replies.readLine();
        while (reply != null && reply.startsWith("[") && reply.contains("][info]")) {
            reply = replies.readLine(); // the JVM's own log lines (a flight recording announces itself)
        }
        if (reply == null || !reply.startsWith(expectedPrefix)) {
            throw new IOException("child answered '" + reply + "' to '" + command + "'; its stderr is in " + stderr);
        }
        return reply.substring(expectedPrefix.length());
    }

    @Override
    public void close() {
        commands.println("quit");
        try {
            // let it exit on its own first, so that a flight recording it was asked for is written
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
