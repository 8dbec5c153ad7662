package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.RetryStormHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.IncidentRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seeds' retry storm: a provider failing every request (500, or 429) and a job that retries every
 * failure with slightly different parameters, on top of the OpenAI SDK's own two retries. Unlimited, only
 * the job's time box ends it; with {@code limits.circuit.*} the breaker opens once five attempts have failed,
 * lets one probe through after {@code open-for}, and opens again when it fails. A request retried unchanged
 * is stopped by {@code limits.retry.max-attempts}, the SDK's retries counted. The {@code INCIDENT} lines'
 * dollars are zero: failed calls are not billed; what the storm costs is calls.
 */
class RetryStormIT {
    private static final List<String> GENEROUS = List.of("budget.daily.limit-usd=100", "budget.daily.window=day");
    private static final int FAILURES = 5;
    private static final long OPEN_FOR_MILLIS = 2_000;
    /** The job's pause between attempts: the first refusal comes at most this long after the circuit opened. */
    private static final long JOB_PAUSE_MILLIS = 20;
    /** The job's time box: the circuit opens at its second call, so one probe comes 2 s into the box, the next not before 4 s. */
    private static final long TIME_BOX_SECONDS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 429})
    void aRetryStormIsStoppedByTheCircuitBreakerWhichProbesOnceAfterOpenFor(int status) throws Exception {
        IncidentRun unlimited = storm(status, "unlimited", GENEROUS);
        List<String> breaker = new ArrayList<>(GENEROUS);
        breaker.addAll(List.of("limits.circuit.failures=" + FAILURES, "limits.circuit.open-for=2s"));
        IncidentRun limited = storm(status, "limited", breaker);

        assertTrue(unlimited.result().callsWith("refused").isEmpty(), unlimited::toString);
        assertEquals(attempts(unlimited.admitted()), unlimited.providerRequests(), "every attempt of every call reached the provider");

        List<String> calls = limited.result().calls();
        List<JsonNode> ledger = limited.ledger();
        assertEquals(calls.size(), ledger.size(), "one ledger line per call of the job: " + limited);
        int firstRefusal = firstIndex(calls, "CALL refused");
        assertTrue(firstRefusal > 0, limited::toString);
        long beforeOpening = attempts(ledger.subList(0, firstRefusal));
        // five failed attempts open the circuit; failures are counted when a call ends, so the SDK's retries of the
        // call in progress still go out (6 here: two calls of three attempts)
        assertTrue(beforeOpening >= FAILURES && beforeOpening <= FAILURES + 2, "attempts before the circuit opened: " + beforeOpening);
        assertEquals("dev.llmbudget.CircuitOpenException", limited.stoppedBy(), limited::toString);
        assertEquals("limits.circuit.failures", limited.rule(), limited::toString);

        // every call admitted after the circuit opened is a probe: admitted after open-for, alone, failing, and the circuit opens again
        List<Long> probeAttempts = new ArrayList<>();
        long openedAt = timeOf(calls.get(firstRefusal)) - JOB_PAUSE_MILLIS;
        for (int i = firstRefusal; i < calls.size(); i++) {
            String call = calls.get(i);
            assertEquals(call.startsWith("CALL refused") ? "refuse" : "allow", ledger.get(i).path("decision").asText(), call);
            if (call.startsWith("CALL refused")) {
                assertTrue(call.startsWith("CALL refused dev.llmbudget.CircuitOpenException rule=limits.circuit.failures "), call);
                continue;
            }
            assertTrue(call.startsWith("CALL error "), "the provider still fails: " + call);
            long afterOpening = timeOf(call) - openedAt;
            // 100 ms of slack: the times are the job's, taken when each of its calls returned
            assertTrue(afterOpening >= OPEN_FOR_MILLIS - 100, () -> "a probe " + afterOpening + " ms after opening: " + limited);
            int next = i + 1;
            assertTrue(next == calls.size() || calls.get(next).startsWith("CALL refused dev.llmbudget.CircuitOpenException"),
                    () -> "the failed probe opens the circuit again: " + calls.get(next));
            probeAttempts.add((long) ledger.get(i).path("httpAttempts").asInt());
            openedAt = timeOf(call);
        }
        assertTrue(!probeAttempts.isEmpty(), "a probe in the time box: " + limited);
        assertEquals(beforeOpening + probeAttempts.stream().mapToLong(Long::longValue).sum(), limited.providerRequests(),
                "the provider received the attempts before the circuit opened and those of the probes, nothing else");
        IncidentRun.report("retry-storm(" + status + ")", unlimited, limited,
                "attempts-before-open=" + beforeOpening + " probes=" + probeAttempts.size() + " probe-attempts=" + probeAttempts
                        + " refused=" + limited.refused().size() + " (" + TIME_BOX_SECONDS + " s time box each)");
    }

    @Test
    void theSameRequestRetriedIsRefusedAfterThreeFailedAttemptsTheSdksRetriesCounted() throws Exception {
        IncidentRun unlimited;
        try (FakeOpenAi fake = failingFake(500)) {
            unlimited = IncidentRun.run(dir, "unlimited", fake, GENEROUS, RetryStormHost.class, "same", "0", "3");
        }
        IncidentRun limited;
        List<String> bodies;
        try (FakeOpenAi fake = failingFake(500)) {
            List<String> config = new ArrayList<>(GENEROUS);
            config.add("limits.retry.max-attempts=3");
            // record 42: the job retries, the SDK does not; record 43: the SDK retries twice within each call of the job
            limited = IncidentRun.run(dir, "limited", fake, config, RetryStormHost.class, "same", "0", "2", "same", "2", "2");
            bodies = fake.requestBodies();
        }

        assertTrue(unlimited.providerRequests() > 20, unlimited::toString);
        List<String> appRetries = phase(limited, 42);
        assertEquals(List.of("error", "error", "error", "refused"), appRetries.subList(0, 4).stream().map(RetryStormIT::outcome).toList(),
                limited::toString);
        assertTrue(appRetries.stream().skip(3).allMatch(call -> call.startsWith(
                "CALL refused dev.llmbudget.RetryLimitExceededException rule=limits.retry.max-attempts ")), limited::toString);
        assertEquals(3, bodies.stream().filter(body -> body.contains("Enrich record 42.")).count(), "three attempts of record 42 sent");
        List<String> sdkRetries = phase(limited, 43);
        assertEquals(List.of("error", "refused"), sdkRetries.subList(0, 2).stream().map(RetryStormIT::outcome).toList(), limited::toString);
        assertEquals(3, bodies.stream().filter(body -> body.contains("Enrich record 43.")).count(),
                "the first call's three attempts (one and the SDK's two retries), then refused");
        assertEquals(6, limited.providerRequests());
        assertEquals("dev.llmbudget.RetryLimitExceededException", limited.stoppedBy());
        IncidentRun.report("retry-same-request", unlimited, limited,
                "(limited: record 42 retried by the job, 3 sent; record 43 with SDK maxRetries=2, 3 sent; 2 s time box each)");
    }

    private IncidentRun storm(int status, String name, List<String> config) throws Exception {
        try (FakeOpenAi fake = failingFake(status)) {
            return IncidentRun.run(dir, name, fake, config, RetryStormHost.class, "vary", "2", String.valueOf(TIME_BOX_SECONDS));
        }
    }

    /** Fails every request; {@code retry-after-ms: 5} has the SDK retry at once, as the seeds' storm did, not after its back-off. */
    private static FakeOpenAi failingFake(int status) throws Exception {
        FakeOpenAi fake = FakeOpenAi.start();
        fake.failNext(Integer.MAX_VALUE, status);
        fake.retryAfterOnFailures(Duration.ofMillis(5));
        return fake;
    }

    /** The HTTP attempts the ledger reports for these calls. */
    private static long attempts(List<JsonNode> lines) {
        return lines.stream().mapToLong(line -> line.path("httpAttempts").asLong()).sum();
    }

    private static int firstIndex(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** The job's CALL lines for one record. */
    private static List<String> phase(IncidentRun run, int record) {
        List<String> lines = run.result().stdout().lines().toList();
        int start = lines.indexOf(lines.stream().filter(line -> line.startsWith("PHASE record=" + record + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no phase for record " + record + ": " + run)));
        return lines.stream().skip(start + 1).takeWhile(line -> !line.startsWith("PHASE")).filter(line -> line.startsWith("CALL ")).toList();
    }

    private static String outcome(String call) {
        return call.split(" ")[1];
    }

    private static long timeOf(String call) {
        return Long.parseLong(call.substring(call.lastIndexOf(" at=") + 4));
    }
}
