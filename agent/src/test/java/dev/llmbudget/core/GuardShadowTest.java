package dev.llmbudget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.AgentHaltedException;
import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.core.limits.LimitSettings;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code mode=shadow} and {@code budget.<name>.mode=shadow}: every decision made and recorded, nothing refused. */
class GuardShadowTest {
    private static final ModelPrice ONE_PER_TOKEN = new ModelPrice("test", 1_000_000, 500_000, 1_000_000, 1_000_000, 0);
    private static final PriceTable PRICES = new PriceTable(Map.of("test-model", ONE_PER_TOKEN));

    private final MemoryStore store = new MemoryStore();
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final List<CallRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<HaltSwitch.Halt> halt = new AtomicReference<>();

    private Guard guard(boolean shadow, LimitSettings limits, OutputCeiling ceiling, BudgetSpec... budgets) {
        return new Guard(new GuardSettings(List.of(budgets), 4096, UnknownModelPolicy.BLOCK, null, ceiling, limits, shadow),
                PRICES, new TokenCounter(), store, clock, records::add, () -> CallScope.NONE, halt::get);
    }

    private static LlmCall call(String model, long maxOutput) {
        return new LlmCall("openai", "chat.completions", model, Prompt.ofText("hello"), maxOutput, 1, true, false, null);
    }

    private static BudgetSpec budget(String name, long limitMicros, boolean shadow) {
        return new BudgetSpec(name, limitMicros, BudgetWindow.TOTAL, ModelGlob.ANY, Partition.GLOBAL, shadow);
    }

    private long spent(BudgetSpec budget) {
        return store.balance(new BudgetAccounts(budget).accountFor(null, CallScope.NONE, clock.instant())).spentMicros();
    }

    @Test
    void inShadowModeAnOverBudgetCallIsSentAndItsLineSaysWouldRefuse() {
        BudgetSpec tiny = budget("tiny", 250, true);
        Guard guard = guard(true, LimitSettings.NONE, OutputCeiling.NONE, tiny);
        for (int i = 0; i < 5; i++) {
            guard.preflight(call("test-model", 100)).settle(new Usage(1, 0, 0, 99, 0));
        }
        assertEquals(500, spent(tiny), "the shadow budget keeps counting past its limit");
        assertEquals(5, records.size());
        assertEquals(List.of("allow", "allow", "would-refuse", "would-refuse", "would-refuse"),
                records.stream().map(CallRecord::decision).toList());
        CallRecord wouldRefuse = records.get(2);
        assertEquals("budget.tiny.limit-usd", wouldRefuse.rule());
        assertEquals(CallRecord.Outcome.SETTLED, wouldRefuse.outcome());
        assertEquals(100, wouldRefuse.settledMicros());
        assertTrue(wouldRefuse.detail().startsWith("would refuse: "), wouldRefuse.detail());
        assertTrue(wouldRefuse.detail().contains("budget 'tiny'"), wouldRefuse.detail());
    }

    @Test
    void aShadowBudgetBesideAnEnforcedOneOnlyWatchesWhileTheOtherStillRefuses() {
        BudgetSpec watched = budget("new-daily", 150, true);
        BudgetSpec enforced = budget("total", 350, false);
        Guard guard = guard(false, LimitSettings.NONE, OutputCeiling.NONE, watched, enforced);
        guard.preflight(call("test-model", 100)).settle(new Usage(1, 0, 0, 99, 0));
        guard.preflight(call("test-model", 100)).settle(new Usage(1, 0, 0, 99, 0));
        assertEquals("would-refuse", records.get(1).decision());
        assertEquals("budget.new-daily.limit-usd", records.get(1).rule());
        guard.preflight(call("test-model", 100)).settle(new Usage(1, 0, 0, 99, 0));
        BudgetExceededException refused = assertThrows(BudgetExceededException.class, () -> guard.preflight(call("test-model", 100)));
        assertEquals("budget.total.limit-usd", refused.rule());
        assertEquals("refuse", records.get(3).decision());
        assertEquals(300, spent(watched));
    }

    @Test
    void inShadowModeLimitsUnknownModelsAndTheOutputCeilingAreRecordedNotEnforced() {
        LimitSettings none = LimitSettings.NONE;
        LimitSettings oneCallAtATime = new LimitSettings(0, 0, 0, none.retryWindow(), 0, none.circuitWindow(), none.circuitOpenFor(),
                0, 0, none.loopWindow(), 0, 0, Partition.GLOBAL, false, none.rateMaxWait(), 1, Partition.GLOBAL, true,
                none.concurrencyMaxWait(), 0);
        Guard guard = guard(true, oneCallAtATime, new OutputCeiling(50, true), budget("all", 1_000_000, false));
        Permit first = guard.preflight(call("test-model", 10));
        // concurrency action=wait is not waited for in shadow mode: the second call goes at once
        Permit second = guard.preflight(call("test-model", 10));
        Permit unpriced = guard.preflight(call("no-such-model", 10));
        Permit tooLong = guard.preflight(call("test-model", 500));
        assertEquals(0, tooLong.clampedOutputTokens(), "shadow mode sends the request as written");
        for (Permit permit : List.of(first, second, unpriced, tooLong)) {
            permit.settle(new Usage(1, 0, 0, 1, 0));
        }
        assertEquals(List.of("allow", "limits.concurrency.max", "pricing.unknown-model", "limits.max-output-tokens"),
                records.stream().map(record -> record.decision().equals("allow") ? "allow" : record.rule()).toList());
        assertEquals(0, records.get(2).settledMicros(), "an unpriced model is charged nothing, not a guess");
    }

    @Test
    void aKillSwitchHaltsInShadowModeToo() {
        Guard guard = guard(true, LimitSettings.NONE, OutputCeiling.NONE, budget("all", 1_000_000, false));
        halt.set(new HaltSwitch.Halt("killswitch.file", "ops: stop"));
        assertThrows(AgentHaltedException.class, () -> guard.preflight(call("test-model", 10)));
        assertEquals("refuse", records.get(0).decision());
    }

    @Test
    void aRefusedOrSettledRecordCarriesItsDecisionLatencyAndAccounts() {
        BudgetSpec all = budget("all", 150, false);
        Guard guard = guard(false, LimitSettings.NONE, OutputCeiling.NONE, all);
        guard.preflight(call("test-model", 100)).settle(new Usage(1, 0, 0, 99, 0));
        assertThrows(BudgetExceededException.class, () -> guard.preflight(call("test-model", 100)));
        assertTrue(records.get(0).decisionNanos() > 0);
        assertTrue(records.get(1).decisionNanos() > 0);
        assertEquals(List.of(new BudgetAccounts(all).accountFor(null, CallScope.NONE, clock.instant())), records.get(0).accounts());
        assertEquals(List.of(), records.get(1).accounts());
    }
}
