package dev.llmbudget.it.support;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code java -jar llm-budget-agent.jar spend <config>} and reads its table: what the store holds, per account. */
public final class SpendCommand {
    private static final Pattern ROW = Pattern.compile("(\\S+)\\s+\\$(\\d+\\.\\d+)\\s+\\$(\\d+\\.\\d+)\\s+.*");

    private SpendCommand() {
    }

    /** One account's spent and held, micro-USD. */
    public record Account(long spentMicros, long heldMicros) {
    }

    /** The accounts by key; fails with the command's output if it does not exit 0. */
    public static Map<String, Account> accounts(Path config) throws IOException, InterruptedException {
        String out = run(config);
        Map<String, Account> accounts = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                accounts.put(row.group(1), new Account(micros(row.group(2)), micros(row.group(3))));
            }
        }
        return accounts;
    }

    public static long totalSpent(Map<String, Account> accounts) {
        return accounts.values().stream().mapToLong(Account::spentMicros).sum();
    }

    public static long totalHeld(Map<String, Account> accounts) {
        return accounts.values().stream().mapToLong(Account::heldMicros).sum();
    }

    public static String run(Path config) throws IOException, InterruptedException {
        Path out = Files.createTempFile("spend-out", ".txt");
        try {
            Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", ChildJvm.agentJar().toString(), "spend", config.toString()))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("spend did not finish:\n" + Files.readString(out));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("spend exited " + process.exitValue() + ":\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static long micros(String dollars) {
        return new BigDecimal(dollars).movePointRight(6).longValueExact();
    }
}
