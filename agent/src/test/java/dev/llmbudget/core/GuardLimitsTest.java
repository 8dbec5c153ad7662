package dev.llmbudget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.AgentHaltedException;
import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.BurnRateExceededException;
import dev.llmbudget.ConcurrencyLimitExceededException;
import dev.llmbudget.LoopDetectedException;
import dev.llmbudget.core.limits.LimitSettings;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.tokens.TokenCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The Guard with the kill switches, runs, tenants and limits of {@code limits.*} around its budgets. */
class GuardLimitsTest {
    private static final ModelPrice ONE_PER_TOKEN = new ModelPrice("test", 1_000_000, 500_000, 1_000_000, 1_000_000, 0);
    private static final PriceTable PRICES = new PriceTable(Map.of("test-model", ONE_PER_TOKEN));

    private final MemoryStore store = new MemoryStore();
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final List<CallRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<CallScope> scope = new AtomicReference<>(CallScope.NONE);
    private final AtomicReference<HaltSwitch.Halt> halt = new AtomicReference<>();

    private Guard guard(LimitSettings limits, BudgetSpec... budgets) {
        return new Guard(new GuardSettings(List.of(budgets), 4096, UnknownModelPolicy.BLOCK, null, OutputCeiling.NONE, limits),
                PRICES, new TokenCounter(), store, clock, records::add, scope::get, halt::get);
    }

    private static LlmCall call(String text) {
        return new LlmCall("openai", "chat.completions", "test-model", Prompt.ofText(text), 100, 1, true, false, null);
    }

    private static LimitSettings limits(long concurrency, long pingPong, long burnRateMicros) {
        LimitSettings none = LimitSettings.NONE;
        return new LimitSettings(0, 0, 0, none.retryWindow(), 0, none.circuitWindow(), none.circuitOpenFor(), 0, pingPong,
                none.loopWindow(), 0, 0, Partition.GLOBAL, false, none.rateMaxWait(), concurrency, Partition.TENANT, false,
                none.concurrencyMaxWait(), burnRateMicros);
    }

    @Test
    void aHaltRefusesBeforeAnythingIsReservedAndSaysWhoHalted() {
        Guard guard = guard(LimitSettings.NONE, new BudgetSpec("all", 1_000_000, BudgetWindow.TOTAL, ModelGlob.ANY));
        halt.set(new HaltSwitch.Halt("killswitch.file", "ops: runaway loop"));
        AgentHaltedException refused = assertThrows(AgentHaltedException.class, () -> guard.preflight(call("hi")));
        assertEquals("killswitch.file", refused.rule());
        assertEquals("ops: runaway loop", refused.reason());
        assertEquals(CallRecord.Outcome.REFUSED, records.get(0).outcome());
        assertEquals(0, store.balance(new BudgetAccounts(new BudgetSpec("all", 1, BudgetWindow.TOTAL, ModelGlob.ANY))
                .accountFor(null, CallScope.NONE, clock.instant())).heldMicros());
        halt.set(null);
        guard.preflight(call("hi")).settle(new Usage(1, 0, 0, 1, 0));
    }

    @Test
    void aBudgetRefusalGivesBackWhatTheLimitsTook() {
        BudgetSpec tiny = new BudgetSpec("tiny", 150, BudgetWindow.TOTAL, ModelGlob.ANY);
        Guard guard = guard(limits(1, 0, 0), tiny);
        scope.set(new CallScope(null, "acme"));
        Permit first = guard.preflight(call("a"));
        assertInstanceOf(ConcurrencyLimitExceededException.class, assertThrows(BudgetExceededException.class,
                () -> guard.preflight(call("b"))));
        first.release("test");
        // this one fits the concurrency limit but not the budget...
        guard.preflight(call("c")).settle(new Usage(1, 0, 0, 99, 0));
        assertEquals("budget.tiny.limit-usd", assertThrows(BudgetExceededException.class, () -> guard.preflight(call("d"))).rule());
        // ...and its concurrency slot was given back: a cheaper budget-free tenant is not refused for concurrency
        Guard other = guard(limits(1, 0, 0));
        other.preflight(call("e"));
    }

    @Test
    void loopRefusalsAreRecordedWithTheirRuleAndTheRun() {
        Guard guard = guard(limits(0, 2, 0));
        Run run = Run.open("com.acme.Pipeline#run");
        scope.set(new CallScope(run, "acme"));
        guard.preflight(call("analyze")).settle(new Usage(1, 0, 0, 1, 0));
        guard.preflight(call("verify")).settle(new Usage(1, 0, 0, 1, 0));
        guard.preflight(call("analyze")).settle(new Usage(1, 0, 0, 1, 0));
        LoopDetectedException refused = assertThrows(LoopDetectedException.class, () -> guard.preflight(call("verify")));
        assertEquals("limits.loop.ping-pong", refused.rule());
        CallRecord last = records.get(records.size() - 1);
        assertEquals("limits.loop.ping-pong", last.rule());
        assertEquals(run, last.scope().run());
        assertEquals("acme", last.scope().tenant());
        assertEquals(4, records.size());
    }

    @Test
    void theBurnRateIsARollingMinuteOfSpend() {
        Guard guard = guard(limits(0, 0, 500), new BudgetSpec("daily", 100_000_000, BudgetWindow.parse("day",
                java.time.ZoneOffset.UTC), ModelGlob.ANY));
        guard.preflight(call("a")).settle(new Usage(1, 0, 0, 199, 0));
        guard.preflight(call("b")).settle(new Usage(1, 0, 0, 199, 0));
        BurnRateExceededException refused = assertThrows(BurnRateExceededException.class, () -> guard.preflight(call("c")));
        assertEquals("limits.burn-rate.usd-per-minute", refused.rule());
        assertEquals(500, refused.limit());
        assertTrue(refused.getMessage().contains("last minute"), refused.getMessage());
        clock.advance(Duration.ofSeconds(62));
        guard.preflight(call("c")).settle(new Usage(1, 0, 0, 1, 0));
    }

    @Test
    void aPerTaskRunBudgetGivesEachRunItsOwnAccount() {
        BudgetSpec perRun = new BudgetSpec("per-run", 250, BudgetWindow.parse("run", java.time.ZoneOffset.UTC), ModelGlob.ANY,
                Partition.TASK);
        Guard guard = guard(LimitSettings.NONE, perRun);
        scope.set(new CallScope(Run.open("a#run"), null));
        guard.preflight(call("a")).settle(new Usage(1, 0, 0, 100, 0));
        guard.preflight(call("a")).settle(new Usage(1, 0, 0, 100, 0));
        BudgetExceededException refused = assertThrows(BudgetExceededException.class, () -> guard.preflight(call("a")));
        assertTrue(refused.getMessage().contains("for run run-"), refused.getMessage());
        scope.set(new CallScope(Run.open("a#run"), null));
        guard.preflight(call("a")).settle(new Usage(1, 0, 0, 100, 0));
    }
}
