package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.MdcLoggingProvider;
import dev.llmbudget.it.apps.TenantRunsHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.IncidentRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' tenant with 40 parallel runs, each within its own iteration cap: unlimited, all 40 x 5 calls go
 * out at once; with the tenant's concurrency limit (4 in flight, {@code per=tenant}, the tenant read from the
 * SLF4J MDC) and the tenant's daily budget, at most 4 calls are ever at the provider and the tenant's spend
 * stops at its daily limit, though no run reached its own cap.
 */
class TenantLimitsIT {
    private static final int RUNS = 40;
    private static final int CALLS_PER_RUN = 5;
    private static final int RUN_CAP = 6;
    private static final int IN_FLIGHT = 4;
    /** About 68 calls of gpt-4o at the fake's usage (15 in, 40 out: 438 µUSD each); the 40 runs would spend about $0.09. */
    private static final long TENANT_DAILY_MICROS = 30_000;
    private static final List<String> SCOPES = List.of("budget.daily.limit-usd=100", "budget.daily.window=day",
            "task.entry-points=dev.llmbudget.it.apps.TenantRunsHost#run", "tenant.mdc-key=tenantId");

    @TempDir
    static Path classDir;
    /** The unlimited 40 runs, run once for both tests. */
    private static IncidentRun unlimited;
    private static int unlimitedInFlight;

    @TempDir
    Path dir;

    @Test
    void fortyParallelRunsWaitForTheTenantsFourSlotsAndStopAtItsDailyBudget() throws Exception {
        IncidentRun unlimited = unlimited();
        Observed limited = runs("limited-wait", "limits.concurrency.action=wait", "limits.concurrency.max-wait=20s",
                "budget.tenant-daily.limit-usd=" + IncidentRun.usd(TENANT_DAILY_MICROS), "budget.tenant-daily.window=day",
                "budget.tenant-daily.per=tenant");
        IncidentRun run = limited.run;

        assertRunsOfAcmeUnderTheirCap(run);
        assertTrue(limited.maxInFlight <= IN_FLIGHT, "at most 4 calls at the provider at once, saw " + limited.maxInFlight);
        assertTrue(run.settledMicros() <= TENANT_DAILY_MICROS, "the tenant's spend within its daily limit: " + run.settledMicros());
        assertTrue(unlimited.settledMicros() > TENANT_DAILY_MICROS, "the 40 runs together would exceed it: " + unlimited.settledMicros());
        assertEquals("dev.llmbudget.BudgetExceededException", run.stoppedBy(), run::toString);
        assertEquals("budget.tenant-daily.limit-usd", run.rule(), run::toString);
        assertTrue(run.result().callsWith("refused").stream().allMatch(call -> call.contains(" rule=budget.tenant-daily.limit-usd ")),
                "only the daily budget refused, no run reached its cap and no call waited too long: " + run);
        IncidentRun.report("tenant-40-runs(wait)", unlimited, run, "max-in-flight unlimited=" + unlimitedInFlight + " limited="
                + limited.maxInFlight + " tenant-daily-limit=" + IncidentRun.usd(TENANT_DAILY_MICROS));
    }

    @Test
    void fortyParallelRunsBeyondTheTenantsFourSlotsAreRefused() throws Exception {
        IncidentRun unlimited = unlimited();
        Observed limited = runs("limited-refuse", "limits.concurrency.action=refuse");
        IncidentRun run = limited.run;

        assertRunsOfAcmeUnderTheirCap(run);
        assertTrue(limited.maxInFlight <= IN_FLIGHT, "at most 4 calls at the provider at once, saw " + limited.maxInFlight);
        assertEquals("dev.llmbudget.ConcurrencyLimitExceededException", run.stoppedBy(), run::toString);
        assertEquals("limits.concurrency.max", run.rule(), run::toString);
        assertTrue(run.result().callsWith("refused").stream().allMatch(call -> call.startsWith(
                "CALL refused dev.llmbudget.ConcurrencyLimitExceededException rule=limits.concurrency.max ")), run::toString);
        IncidentRun.report("tenant-40-runs(refuse)", unlimited, run, "max-in-flight unlimited=" + unlimitedInFlight + " limited="
                + limited.maxInFlight + " runs-refused=" + run.result().callsWith("refused").size());
    }

    /**
     * The seeds' per-task budget, {@code per=task} with {@code window=run}: each of the 40 runs has its own
     * account, so every run gets the same few calls (a shared account would have let only the first ones through)
     * and each is stopped by its own budget, whatever the others spent.
     */
    @Test
    void aPerRunBudgetStopsEachRunOnItsOwnAccount() throws Exception {
        long perRunMicros = 4_500;
        IncidentRun run = runs(dir, "per-run-budget", List.of("budget.per-run.limit-usd=" + IncidentRun.usd(perRunMicros),
                "budget.per-run.window=run", "budget.per-run.per=task")).run;

        assertEquals(run.admitted().size(), run.providerRequests(), run::toString);
        assertEquals(RUNS, run.admittedPerRun().size(), run.admittedPerRun()::toString);
        long perRun = run.admittedPerRun().values().iterator().next();
        assertTrue(perRun >= 1 && perRun < CALLS_PER_RUN, run.admittedPerRun()::toString);
        assertTrue(run.admittedPerRun().values().stream().allMatch(calls -> calls == perRun), run.admittedPerRun()::toString);
        assertEquals(RUNS, run.refused().size(), "one refusal ends each run: " + run);
        for (JsonNode refusal : run.refused()) {
            assertEquals("budget.per-run.limit-usd", refusal.path("rule").asText(), refusal::toString);
            assertTrue(run.admittedPerRun().containsKey(refusal.path("task").asText()), "refused in its own run: " + refusal);
        }
        assertTrue(run.result().callsWith("refused").stream().allMatch(call -> call.contains("budget 'per-run' for run run-")),
                run::toString);
        System.out.printf("per-run budget $%s: each of %d runs made %d calls, then was refused%n", IncidentRun.usd(perRunMicros),
                RUNS, perRun);
    }

    /**
     * Every call was tenant acme's (from the MDC), no run made more than its 5 calls (under its cap of 6), and the
     * provider received exactly the admitted calls.
     */
    private static void assertRunsOfAcmeUnderTheirCap(IncidentRun run) {
        for (JsonNode line : run.ledger()) {
            assertEquals("acme", line.path("tenant").asText(), "the tenant from the MDC: " + line);
        }
        assertEquals(run.admitted().size(), run.providerRequests(), run::toString);
        assertTrue(run.admittedPerRun().values().stream().allMatch(calls -> calls <= CALLS_PER_RUN), run.admittedPerRun()::toString);
        assertTrue(run.admittedPerRun().keySet().stream().allMatch(task -> task.startsWith("run-")), run.admittedPerRun()::toString);
        assertEquals(RUNS, run.result().stdout().lines().filter(line -> line.startsWith("RUN ")).count(), run::toString);
    }

    private static synchronized IncidentRun unlimited() throws Exception {
        if (unlimited == null) {
            Observed all = runs(classDir, "unlimited", List.of());
            unlimited = all.run;
            unlimitedInFlight = all.maxInFlight;
            assertEquals(RUNS * CALLS_PER_RUN, unlimited.providerRequests(), unlimited::toString);
            assertTrue(unlimitedInFlight > IN_FLIGHT, "unlimited, the runs overlap at the provider: " + unlimitedInFlight);
        }
        return unlimited;
    }

    /** A run of the 40 and the most calls the fake provider had in flight at once. */
    private record Observed(IncidentRun run, int maxInFlight) {
    }

    private Observed runs(String name, String... limits) throws Exception {
        List<String> config = new ArrayList<>(List.of("limits.task.max-calls=" + RUN_CAP, "limits.concurrency.max=" + IN_FLIGHT,
                "limits.concurrency.per=tenant"));
        config.addAll(List.of(limits));
        return runs(dir, name, config);
    }

    private static Observed runs(Path dir, String name, List<String> limits) throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            // long enough for the 40 threads' calls to overlap at the provider
            fake.delayAnswers(Duration.ofMillis(100));
            List<String> config = new ArrayList<>(SCOPES);
            config.addAll(limits);
            // an SLF4J whose MDC keeps what the host puts in it, as Logback's or Log4j's does (slf4j-simple's keeps nothing)
            ChildJvm child = ChildJvm.onCurrentJdk().systemProperty("slf4j.provider", MdcLoggingProvider.class.getName())
                    .systemProperty("slf4j.internal.verbosity", "WARN");
            IncidentRun run = IncidentRun.run(dir, name, fake, config, child, TenantRunsHost.class, String.valueOf(RUNS),
                    String.valueOf(CALLS_PER_RUN));
            return new Observed(run, fake.maxInFlight());
        }
    }
}
