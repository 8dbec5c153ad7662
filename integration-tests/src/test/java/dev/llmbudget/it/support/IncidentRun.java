package dev.llmbudget.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.fake.FakeOpenAi;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One run of an incident's host application in a child JVM with the real agent: what it printed, what the
 * fake provider received, and what the agent's ledger recorded. The incident tests run each scenario
 * unlimited and limited and compare the two with {@link #report}.
 */
public record IncidentRun(ChildJvm.Result result, int providerRequests, List<JsonNode> ledger) {
    private static final Pattern REFUSAL = Pattern.compile("CALL refused (?:\\d+ )?(\\S+) rule=(\\S+).*");

    /**
     * Runs {@code main} against {@code fake} with the agent configured by {@code config}, in its own folder
     * {@code dir/name} (its own ledger and journal).
     */
    public static IncidentRun run(Path dir, String name, FakeOpenAi fake, List<String> config, Class<?> main, String... args)
            throws IOException, InterruptedException {
        return run(dir, name, fake, config, ChildJvm.onCurrentJdk(), main, args);
    }

    /** As {@link #run(Path, String, FakeOpenAi, List, Class, String...)}, in a child set up by the caller. */
    public static IncidentRun run(Path dir, String name, FakeOpenAi fake, List<String> config, ChildJvm child, Class<?> main,
                                  String... args) throws IOException, InterruptedException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Path agentConfig = AgentConfigFile.write(folder, config.toArray(String[]::new));
        ChildJvm.Result result = child.withAgent(agentConfig).systemProperty("it.baseUrl", fake.baseUrl()).run(main, args);
        return new IncidentRun(result, fake.requestCount(), Ledger.read(AgentConfigFile.ledger(folder)));
    }

    /** The ledger lines of calls the agent let through. */
    public List<JsonNode> admitted() {
        return ledger.stream().filter(line -> "allow".equals(line.path("decision").asText())).toList();
    }

    /** The ledger lines of calls the agent refused. */
    public List<JsonNode> refused() {
        return ledger.stream().filter(line -> "refuse".equals(line.path("decision").asText())).toList();
    }

    /** Admitted calls per run (the ledger's {@code task} field), runs in id order. */
    public SortedMap<String, Long> admittedPerRun() {
        return admitted().stream().collect(Collectors.groupingBy(line -> line.path("task").asText(""), TreeMap::new, Collectors.counting()));
    }

    public long settledMicros() {
        return Ledger.sum(ledger, "settledMicroUsd");
    }

    /** The exception class of the first refusal the host printed ({@code CALL refused [<millis>] <class> rule=<rule> ...}). */
    public String stoppedBy() {
        return firstRefusal().group(1);
    }

    /** The rule of the first refusal the host printed. */
    public String rule() {
        return firstRefusal().group(2);
    }

    private Matcher firstRefusal() {
        return result.stdout().lines().map(REFUSAL::matcher).filter(Matcher::matches).findFirst()
                .orElseThrow(() -> new AssertionError("no refusal in the host's output:\n" + result));
    }

    /**
     * Prints the line the closing note quotes:
     * {@code INCIDENT <name> unlimited calls=<n> usd=<x> | limited calls=<n> usd=<x> stopped-by=<exception> rule=<rule>},
     * calls being the requests the provider received and USD the spend the ledger settled; {@code extra} is appended.
     */
    public static String report(String name, IncidentRun unlimited, IncidentRun limited, String extra) {
        String exception = limited.stoppedBy().substring(limited.stoppedBy().lastIndexOf('.') + 1);
        String line = "INCIDENT " + name + " unlimited calls=" + unlimited.providerRequests + " usd=" + usd(unlimited.settledMicros())
                + " | limited calls=" + limited.providerRequests + " usd=" + usd(limited.settledMicros())
                + " stopped-by=" + exception + " rule=" + limited.rule() + (extra.isEmpty() ? "" : " " + extra);
        System.out.println(line);
        return line;
    }

    public static String usd(long micros) {
        return BigDecimal.valueOf(micros).movePointLeft(6).toPlainString();
    }

    @Override
    public String toString() {
        return "provider requests " + providerRequests + ", ledger " + ledger.size() + " lines\n" + result;
    }
}
