package dev.llmbudget.ops.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.agent.AgentRuntime;
import dev.llmbudget.config.BudgetConfig;
import dev.llmbudget.config.ConfigLoader;
import dev.llmbudget.config.LoadedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The expected figures are worked out by hand in the comments, from the built-in price table's list prices. */
class AuditTest {
    /** The demo's configuration, as shipped (tests run in {@code agent/}). */
    static final Path DEMO = Path.of("../demo-app/agent.properties");

    @TempDir
    Path dir;

    static BurnAudit.Result audit(Path file, String model, Long inputTokens) {
        LoadedConfig loaded = AgentRuntime.check(ConfigLoader.loadFile(file));
        assertTrue(loaded.isValid(), loaded::report);
        return BurnAudit.run(loaded.config(), AgentRuntime.priceTable(loaded), new BurnAudit.Options(model, inputTokens));
    }

    private BurnAudit.Result audit(String model, Long inputTokens, String... lines) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return audit(file, model, inputTokens);
    }

    private static boolean warns(BurnAudit.Result result, String text) {
        return result.warnings().stream().anyMatch(warning -> warning.contains(text));
    }

    @Test
    void theDemoConfigurationsMaxBurnPerRunWithNoModelNamedIsTheDearestPricedModel() {
        BurnAudit.Result result = audit(DEMO, null, null);

        // demo-app/agent.properties: limits.task.max-calls=60, limits.retry.max-attempts=3, no limits.max-output-tokens,
        // no concurrency, no budget naming a model. The dearest model of the built-in table is o1-pro:
        // $150/M input = 150_000_000 micro-USD per million tokens, $600/M output, max_output_tokens 100_000.
        // per call = 128_000 (assumed input) × 150_000_000 / 1_000_000 + 100_000 × 600_000_000 / 1_000_000
        //          = 19_200_000 + 60_000_000 = 79_200_000 micro-USD ($79.20)
        // one run  = 60 calls × 79_200_000 × 3 sends = 14_256_000_000 micro-USD ($14,256)
        BurnAudit.ModelBurn burn = result.models().get(0);
        assertTrue(burn.label().startsWith("o1-pro:"), burn.label());
        assertEquals(100_000, burn.outputTokens());
        assertEquals(79_200_000L, burn.perCallMicros());
        assertEquals(14_256_000_000L, burn.oneRunMicros());
        assertEquals(Micros.UNCAPPED, burn.maxBurnMicros(), "no limits.concurrency.max: N is uncapped");
        assertEquals(Micros.UNCAPPED, burn.perDayMicros(), "no rate, burn rate or global budget caps a day");
        assertTrue(result.report().contains("one run    C × per call × R = 60 × $79.20 × 3 = $14256.00"), result.report());
        assertTrue(result.report().contains("per call   I × input + O × output = 128000 × $150.00/M + 100000 × $600.00/M = $79.20"),
                result.report());
    }

    @Test
    void theDemoConfigurationsMaxBurnForItsOwnModel() {
        BurnAudit.Result result = audit(DEMO, "gpt-4o", null);

        // gpt-4o: $2.50/M input (no dearer cache-write price), $10/M output, max_output_tokens 16_384
        // per call = 128_000 × 2_500_000 / 1_000_000 + 16_384 × 10_000_000 / 1_000_000 = 320_000 + 163_840 = 483_840
        // one run  = 60 × 483_840 × 3 = 87_091_200 micro-USD ($87.0912)
        BurnAudit.ModelBurn burn = result.models().get(0);
        assertEquals(483_840L, burn.perCallMicros());
        assertEquals(87_091_200L, burn.oneRunMicros());
        assertTrue(result.report().contains("$0.50 in total, one account per API key"), result.report());
        assertTrue(result.report().contains("one run alone can exceed it ($87.0912): the budget binds, at $0.50 per API key"),
                result.report());
        // what the demo leaves open; its run and retry caps are set
        assertTrue(warns(result, "no output ceiling"), result.warnings()::toString);
        assertTrue(warns(result, "no concurrency cap"), result.warnings()::toString);
        assertTrue(warns(result, "no budget caps all spend"), result.warnings()::toString);
        assertFalse(warns(result, "no run cap:"), result.warnings()::toString);
        assertFalse(warns(result, "no retry cap"), result.warnings()::toString);
        assertEquals(3, result.warnings().size(), result.warnings()::toString);
    }

    @Test
    void aConfigurationWithoutARunCapIsFlaggedAndItsRunIsUncapped() throws Exception {
        BurnAudit.Result result = audit("gpt-4o", null, "budget.daily.limit-usd=25", "budget.daily.window=day");

        assertEquals(Micros.UNCAPPED, result.models().get(0).oneRunMicros());
        assertTrue(warns(result, "no run cap: limits.task.max-calls and limits.task.max-tokens unset"), result.warnings()::toString);
        assertTrue(warns(result, "no retry cap"), "R is assumed, and said so: " + result.warnings());
        assertTrue(result.report().contains("assumed: limits.retry.max-attempts unset"), result.report());
        assertTrue(warns(result, "over 10% of the $25.00 a day of budget daily"), "an uncapped run is over any share");
    }

    /** One run of gpt-4o: 10 calls × (1_000 × $2.50/M + 1_000 × $10/M) × 1 send = 10 × (2_500 + 10_000) = 125_000 micro-USD. */
    private BurnAudit.Result tenthOfADay(String dailyLimit) throws Exception {
        return audit("gpt-4o", 1_000L, "budget.daily.limit-usd=" + dailyLimit, "budget.daily.window=day",
                "limits.task.max-calls=10", "limits.max-output-tokens=1000", "limits.retry.max-attempts=1",
                "task.entry-points=com.acme.Pipeline#run", "limits.concurrency.max=4");
    }

    @Test
    void theTenPercentRuleFiresJustPastTheBoundaryAndNotAtIt() throws Exception {
        // 125_000 × 10 = 1_250_000: a run of exactly 10% of $1.25 a day is within the rule
        BurnAudit.Result atTenPercent = tenthOfADay("1.25");
        assertEquals(125_000L, atTenPercent.models().get(0).oneRunMicros());
        assertFalse(warns(atTenPercent, "over 10%"), atTenPercent.warnings()::toString);
        assertTrue(atTenPercent.report().contains("one run = 10% of it, within 10%"), atTenPercent.report());
        assertTrue(atTenPercent.warnings().isEmpty(), "every path capped: " + atTenPercent.warnings());

        // one micro-USD less of budget and the same run is over 10% of it
        BurnAudit.Result pastTenPercent = tenthOfADay("1.249999");
        assertTrue(warns(pastTenPercent, "one run of gpt-4o can spend $0.125, over 10% of the $1.249999 a day of budget daily"),
                pastTenPercent.warnings()::toString);
        assertEquals(1, pastTenPercent.warnings().size(), pastTenPercent.warnings()::toString);
    }

    @Test
    void aWeeklyBudgetIsComparedAsItsDailyShare() throws Exception {
        // 125_000 per run (as above) × 10 = 1_250_000 = 10% of $8.75 a week ÷ 7 = $1.25 a day: within; $8.749993 ÷ 7 is not
        BurnAudit.Result within = audit("gpt-4o", 1_000L, "budget.weekly.limit-usd=8.75", "budget.weekly.window=week",
                "limits.task.max-calls=10", "limits.max-output-tokens=1000", "limits.retry.max-attempts=1",
                "task.entry-points=com.acme.Pipeline#run", "limits.concurrency.max=4");
        assertFalse(warns(within, "over 10%"), within.warnings()::toString);
        BurnAudit.Result over = audit("gpt-4o", 1_000L, "budget.weekly.limit-usd=8.749993", "budget.weekly.window=week",
                "limits.task.max-calls=10", "limits.max-output-tokens=1000", "limits.retry.max-attempts=1",
                "task.entry-points=com.acme.Pipeline#run", "limits.concurrency.max=4");
        assertTrue(warns(over, "over 10% of the $1.249999 a day of budget weekly"), over.warnings()::toString);
    }

    @Test
    void budgetsOfEveryWindowHaveADayEquivalent() {
        // $3.10 = 3_100_000 micro-USD
        BudgetDay hour = BudgetDay.of(new BudgetConfig("h", 3_100_000, "hour", ZoneOffset.UTC, null));
        assertEquals(74_400_000L, hour.mostPerDay(), "24 hours × 3_100_000");
        assertEquals(74_400_000L, hour.dailyShare());
        BudgetDay month = BudgetDay.of(new BudgetConfig("m", 3_100_000, "month", ZoneOffset.UTC, null));
        assertEquals(3_100_000L, month.mostPerDay(), "all of a month's budget may go in one day");
        assertEquals(100_000L, month.dailyShare(), "3_100_000 ÷ 31 days");
        BudgetDay rolling = BudgetDay.of(new BudgetConfig("r", 3_100_000, "rolling-90m", ZoneOffset.UTC, null));
        assertEquals(49_600_000L, rolling.mostPerDay(), "a day holds 1440 ÷ 90 = 16 stretches of 90 minutes: 16 × 3_100_000");
        assertEquals(49_600_000L, rolling.dailyShare(), "3_100_000 × 1440 ÷ 90");
        BudgetDay rolling7d = BudgetDay.of(new BudgetConfig("r7", 3_100_000, "rolling-7d", ZoneOffset.UTC, null));
        assertEquals(3_100_000L, rolling7d.mostPerDay());
        assertEquals(442_857L, rolling7d.dailyShare(), "3_100_000 ÷ 7, rounded down");
        BudgetDay total = BudgetDay.of(new BudgetConfig("t", 3_100_000, "total", ZoneOffset.UTC, null));
        assertFalse(total.isDaily(), "a total budget is compared with a run directly");
        assertEquals(3_100_000L, total.mostPerDay());
    }

    @Test
    void concurrencyMultipliesTheRunAndRateAndBurnRateBoundTheDay() throws Exception {
        BurnAudit.Result result = audit("gpt-4o", 1_000L, "budget.total.limit-usd=1000", "limits.task.max-calls=10",
                "limits.max-output-tokens=1000", "limits.retry.max-attempts=2", "task.entry-points=com.acme.Pipeline#run",
                "limits.concurrency.max=4", "limits.rate.calls-per-minute=2", "limits.burn-rate.usd-per-minute=0.10");
        BurnAudit.ModelBurn burn = result.models().get(0);
        // per call 12_500 (as above); one run = 10 × 12_500 × 2 = 250_000; Max_Burn = 250_000 × 4 runs at once = 1_000_000
        assertEquals(250_000L, burn.oneRunMicros());
        assertEquals(1_000_000L, burn.maxBurnMicros());
        // rate: 2 calls × 1_441 minutes (a full bucket, then 1_440 minutes of refill) × 12_500 × 2 sends = 72_050_000
        // burn rate: 100_000 × 1_440 = 144_000_000; the rate binds
        assertEquals(72_050_000L, burn.perDayMicros());
        assertTrue(result.report().contains("binding: limits.rate.calls-per-minute"), result.report());
    }

    @Test
    void aPerTaskBudgetCapsTheRunAndTheRunTokenCapIsPricedAtTheDearerSide() throws Exception {
        BurnAudit.Result result = audit("gpt-4o", 1_000L, "budget.run.limit-usd=0.02", "budget.run.window=run",
                "budget.run.per=task", "limits.task.max-tokens=3000", "limits.max-output-tokens=1000",
                "limits.retry.max-attempts=1");
        // no call cap; 3_000 run tokens, output dearer: 3_000 × $10/M = 30_000 micro-USD, over the $0.02 per-task budget
        assertEquals(20_000L, result.models().get(0).oneRunMicros());
        assertTrue(result.report().contains("min(UNCAPPED, $0.03) × 1 = $0.03"), result.report());
        assertTrue(result.report().contains("capped by budget run (per=task): one run $0.02"), result.report());
        assertFalse(warns(result, "no run cap:"), result.warnings()::toString);
    }

    @Test
    void budgetsNamingModelsAreAuditedForTheirDearestMatchAndFallbackPricingIsExplained() throws Exception {
        BurnAudit.Result result = audit(null, 1_000L, "budget.mini.limit-usd=5", "budget.mini.match.model=gpt-4o-mini*",
                "budget.opus.limit-usd=5", "budget.opus.match.model=claude-opus-4,claude-opus-4-1");
        List<String> labels = result.models().stream().map(BurnAudit.ModelBurn::label).toList();
        assertEquals(2, labels.size(), labels::toString);
        assertTrue(labels.get(0).startsWith("gpt-4o-mini: the dearest of the"), labels::toString);
        // the two Opus models cost the same: the first by name is taken
        assertTrue(labels.get(1).startsWith("claude-opus-4: the dearest of the 2 priced models"), labels::toString);

        BurnAudit.Result fallback = audit(null, 1_000L, "budget.mini.limit-usd=5", "budget.mini.match.model=gpt-4o-mini*",
                "pricing.unknown-model=fallback", "pricing.fallback.input-usd-per-mtok=100",
                "pricing.fallback.output-usd-per-mtok=100");
        assertTrue(fallback.models().get(0).label().startsWith("an unpriced model matching match.model=gpt-4o-mini*"),
                fallback.models().get(0)::label);
        // fallback: 1_000 × $100/M + 4_096 (limits.default-max-output-tokens) × $100/M = 100_000 + 409_600
        assertEquals(509_600L, fallback.models().get(0).perCallMicros());
        assertTrue(warns(fallback, "pricing.unknown-model=fallback: a model missing from the price table"), fallback.warnings()::toString);
        assertTrue(warns(fallback, "at most $0.5096 a call here"), fallback.warnings()::toString);
    }

    @Test
    void anUnpricedModelUnderBlockCostsNothingAndNoBudgetIsFlagged() throws Exception {
        BurnAudit.Result result = audit("no-such-model", null);
        assertEquals(0L, result.models().get(0).oneRunMicros());
        assertTrue(result.report().contains("every call refused before it is sent"), result.report());
        assertTrue(warns(result, "no budget: spend is priced and recorded but never refused"), result.warnings()::toString);
    }

    @Test
    void aFigureBeyondALongIsSaturatedAndSaid() throws Exception {
        BurnAudit.Result result = audit("gpt-4o", Long.MAX_VALUE / 2, "limits.task.max-calls=1000000");
        assertEquals(Micros.OVERFLOW, result.models().get(0).oneRunMicros());
        assertTrue(warns(result, "beyond a long of micro-USD"), result.warnings()::toString);
        assertTrue(result.report().contains("(overflow)"), result.report());
    }

    @Test
    void shadowModeIsFlagged() throws Exception {
        BurnAudit.Result result = audit("gpt-4o", null, "mode=shadow", "budget.daily.limit-usd=25", "budget.daily.window=day");
        assertTrue(warns(result, "mode=shadow: no budget or limit refuses a call"), result.warnings()::toString);
        assertTrue(result.report().contains("binding: budget daily"), "figured as if enforcing: " + result.report());

        BurnAudit.Result oneShadow = audit("gpt-4o", null, "budget.daily.limit-usd=25", "budget.daily.window=day",
                "budget.daily.mode=shadow");
        assertTrue(warns(oneShadow, "budget daily is in shadow mode"), oneShadow.warnings()::toString);
        assertTrue(oneShadow.report().contains("[shadow: refuses nothing; as if it enforced]"), oneShadow.report());
        assertEquals(Micros.UNCAPPED, oneShadow.models().get(0).perDayMicros(), "a shadow budget caps nothing");
    }
}
