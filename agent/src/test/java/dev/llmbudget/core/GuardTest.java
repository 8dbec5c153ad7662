package dev.llmbudget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.AgentHaltedException;
import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.StoreUnavailableException;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.UnpricedModelException;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.tokens.TokenCounter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardTest {
    /** One micro-USD per input or output token ($1 per million), half that for cached input: estimates read as token counts. */
    private static final ModelPrice ONE_PER_TOKEN = new ModelPrice("test", 1_000_000, 500_000, 1_000_000, 1_000_000, 0);
    private static final PriceTable PRICES = new PriceTable(Map.of(
            "test-model", ONE_PER_TOKEN, "gpt-4o-mini", ONE_PER_TOKEN, "claude-sonnet-4", ONE_PER_TOKEN,
            "text-embedding-3-small", ONE_PER_TOKEN));
    private static final long DEFAULT_MAX_OUTPUT = 4_096;

    private final MemoryStore store = new MemoryStore();
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final List<CallRecord> records = Collections.synchronizedList(new ArrayList<>());

    private Guard guard(UnknownModelPolicy unknown, ModelPrice fallback, BudgetSpec... budgets) {
        return new Guard(new GuardSettings(List.of(budgets), DEFAULT_MAX_OUTPUT, unknown, fallback), PRICES,
                new TokenCounter(), store, clock, records::add);
    }

    private Guard guard(BudgetSpec... budgets) {
        return guard(UnknownModelPolicy.BLOCK, null, budgets);
    }

    private static BudgetSpec total(String name, long limitMicros) {
        return new BudgetSpec(name, limitMicros, BudgetWindow.TOTAL, ModelGlob.ANY);
    }

    private static BudgetSpec daily(String name, long limitMicros, String zone) {
        return new BudgetSpec(name, limitMicros, new BudgetWindow(BudgetWindow.Kind.DAY, ZoneId.of(zone)), ModelGlob.ANY);
    }

    /** A chat call whose input is exactly {@code inputTokens} tokens (given as token ids, so no tokenizer is involved). */
    private static LlmCall call(String model, long inputTokens, long maxOutputTokens) {
        return new LlmCall("openai", "chat.completions", model, new Prompt(List.of(), 0, 0, inputTokens),
                maxOutputTokens, 1, true, false, "sk-…abcd#0000");
    }

    private static Usage used(long input, long output) {
        return new Usage(input, 0, 0, output, 0);
    }

    private CallRecord lastRecord() {
        assertFalse(records.isEmpty(), "nothing was recorded");
        return records.get(records.size() - 1);
    }

    @Test
    void admitsACallThatFitsAndHoldsItsWorstCase() {
        BudgetSpec budget = total("all", 10_000);
        Guard guard = guard(budget);
        LlmCall call = call("test-model", 100, 900);

        Permit permit = guard.preflight(call);

        assertEquals(1_000, permit.reservedMicros());
        assertSame(call, permit.call());
        assertFalse(permit.isFinished());
        assertEquals(new Balance(0, 1_000), guard.balance(budget));
        assertTrue(records.isEmpty(), "an allowed call is recorded when it ends, not before");
    }

    @Test
    void refusesACallThatDoesNotFitAndSaysWhy() {
        BudgetSpec budget = total("daily", 2_500);
        Guard guard = guard(budget);
        guard.preflight(call("test-model", 100, 900)).settle(used(100, 900));
        guard.preflight(call("test-model", 100, 900)); // in flight

        BudgetExceededException refused = assertThrows(BudgetExceededException.class,
                () -> guard.preflight(call("test-model", 100, 900)));

        assertEquals("budget.daily.limit-usd", refused.rule());
        assertEquals("daily", refused.budget());
        assertEquals(2_500, refused.limitMicros());
        assertEquals(1_000, refused.estimateMicros());
        assertEquals(1_000, refused.spentMicros());
        assertEquals(1_000, refused.reservedMicros());
        assertTrue(refused.getMessage().contains("budget 'daily'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("limit $0.0025"), refused.getMessage());
        assertTrue(refused.getMessage().contains("Raise budget.daily.limit-usd"), refused.getMessage());
        assertEquals(new Balance(1_000, 1_000), guard.balance(budget), "a refused call holds nothing");

        CallRecord record = lastRecord();
        assertEquals("refuse", record.decision());
        assertEquals(CallRecord.Outcome.REFUSED, record.outcome());
        assertEquals("budget.daily.limit-usd", record.rule());
        assertEquals(1_000, record.reservedMicros());
        assertEquals(0, record.settledMicros());
    }

    @Test
    void aCallExactlyAtTheLimitIsAdmittedAndOneMicroMoreIsNot() {
        Guard guard = guard(total("all", 1_000));
        assertThrows(BudgetExceededException.class, () -> guard.preflight(call("test-model", 101, 900)));
        guard.preflight(call("test-model", 100, 900));
    }

    @Test
    void aCallMustFitEveryMatchingBudget() {
        BudgetSpec roomy = total("all", 1_000_000);
        BudgetSpec tight = total("tight", 1_500);
        Guard guard = guard(roomy, tight);

        guard.preflight(call("test-model", 100, 900));
        BudgetExceededException refused = assertThrows(BudgetExceededException.class,
                () -> guard.preflight(call("test-model", 100, 900)));

        assertEquals("tight", refused.budget());
        assertEquals("budget.tight.limit-usd", refused.rule());
        assertEquals(new Balance(0, 1_000), guard.balance(roomy), "the roomy budget kept no hold of the refused call");
        assertEquals(new Balance(0, 1_000), guard.balance(tight));
    }

    @Test
    void anAllowedCallNamesTheSmallestBudgetItHadToFit() {
        Guard guard = guard(total("all", 1_000_000), total("tight", 5_000), total("mid", 50_000));
        guard.preflight(call("test-model", 100, 900)).settle(used(10, 10));

        CallRecord record = lastRecord();
        assertEquals("budget.tight.limit-usd", record.rule());
        assertEquals(List.of("all", "tight", "mid"), record.budgets());
    }

    @Test
    void aModelGlobBudgetOnlyCountsMatchingModels() {
        BudgetSpec gpt = new BudgetSpec("gpt", 1_500, BudgetWindow.TOTAL, ModelGlob.parse("gpt-4o*"));
        BudgetSpec everything = total("everything", 1_000_000);
        Guard guard = guard(gpt, everything);

        for (int i = 0; i < 3; i++) {
            guard.preflight(call("claude-sonnet-4", 100, 900)).settle(used(100, 900));
        }
        assertEquals(Balance.EMPTY, guard.balance(gpt), "claude calls are not charged to the gpt-4o* budget");
        assertEquals(new Balance(3_000, 0), guard.balance(everything));
        assertEquals(List.of("everything"), lastRecord().budgets());

        guard.preflight(call("gpt-4o-mini", 100, 900)).settle(used(100, 900));
        assertEquals(List.of("gpt", "everything"), lastRecord().budgets());
        BudgetExceededException refused = assertThrows(BudgetExceededException.class,
                () -> guard.preflight(call("gpt-4o-mini", 100, 900)));
        assertEquals("gpt", refused.budget());

        // the gpt budget is exhausted, other models are unaffected
        guard.preflight(call("claude-sonnet-4", 100, 900));
    }

    @Test
    void aCallThatMatchesNoBudgetIsPricedButNotLimited() {
        Guard guard = guard(new BudgetSpec("gpt", 1, BudgetWindow.TOTAL, ModelGlob.parse("gpt-*")));
        Permit permit = guard.preflight(call("claude-sonnet-4", 1_000_000, 1_000_000));
        assertEquals(2_000_000, permit.reservedMicros());
        permit.settle(used(5, 5));
        assertEquals("no-matching-budget", lastRecord().rule());
        assertEquals(List.of(), lastRecord().budgets());
    }

    @Test
    void aUtcDayWindowResetsAtMidnightUtc() {
        BudgetSpec budget = daily("daily", 1_500, "UTC");
        Guard guard = guard(budget);
        clock.set("2026-11-23T23:58:00Z");
        guard.preflight(call("test-model", 100, 900)).settle(used(100, 900));

        clock.set("2026-11-23T23:59:59Z");
        assertThrows(BudgetExceededException.class, () -> guard.preflight(call("test-model", 100, 900)));

        clock.set("2026-11-24T00:00:00Z");
        assertEquals(Balance.EMPTY, guard.balance(budget), "a new day starts from zero");
        guard.preflight(call("test-model", 100, 900));
        assertEquals(new Balance(0, 1_000), guard.balance(budget));
        assertEquals(new Balance(1_000, 0), store.balance(new dev.llmbudget.store.AccountRef("daily", "daily/global/2026-11-23", 0, 0)), "yesterday's spend is kept apart");
    }

    @Test
    void aTokyoDayWindowResetsAtTokyoMidnightNotUtcMidnight() {
        BudgetSpec budget = daily("tokyo", 1_500, "Asia/Tokyo");
        Guard guard = guard(budget);

        clock.set("2026-11-23T14:58:00Z"); // 23:58 on the 23rd in Tokyo
        guard.preflight(call("test-model", 100, 900)).settle(used(100, 900));
        clock.set("2026-11-23T14:59:59Z");
        assertThrows(BudgetExceededException.class, () -> guard.preflight(call("test-model", 100, 900)));

        clock.set("2026-11-23T15:00:00Z"); // 00:00 on the 24th in Tokyo
        guard.preflight(call("test-model", 100, 900)).settle(used(100, 900));
        assertEquals(new Balance(1_000, 0), store.balance(new dev.llmbudget.store.AccountRef("tokyo", "tokyo/global/2026-11-24", 0, 0)));

        clock.set("2026-11-24T00:00:01Z"); // UTC midnight passed; still 09:00 on the 24th in Tokyo
        BudgetExceededException refused = assertThrows(BudgetExceededException.class,
                () -> guard.preflight(call("test-model", 100, 900)));
        assertEquals(1_000, refused.spentMicros());
        assertTrue(refused.getMessage().contains("day (Asia/Tokyo)"), refused.getMessage());

        clock.set("2026-11-24T15:00:00Z"); // 00:00 on the 25th in Tokyo
        guard.preflight(call("test-model", 100, 900));
    }

    @Test
    void aCallStartedBeforeMidnightSettlesIntoTheWindowItReservedIn() {
        BudgetSpec budget = daily("daily", 1_500, "UTC");
        Guard guard = guard(budget);
        clock.set("2026-11-23T23:59:50Z");
        Permit permit = guard.preflight(call("test-model", 100, 900));
        clock.set("2026-11-24T00:00:10Z");
        permit.settle(used(100, 400));

        assertEquals(new Balance(500, 0), store.balance(new dev.llmbudget.store.AccountRef("daily", "daily/global/2026-11-23", 0, 0)));
        assertEquals(Balance.EMPTY, guard.balance(budget));
    }

    @Test
    void settleReplacesTheReservationWithTheReportedUsage() {
        BudgetSpec budget = total("all", 10_000);
        Guard guard = guard(budget);
        Permit permit = guard.preflight(call("test-model", 1_000, 2_000));
        assertEquals(3_000, permit.reservedMicros());

        // 1,000 input of which 600 cached (half price), 100 output: 400 + 300 + 100
        permit.settle(new Usage(1_000, 600, 0, 100, 40));

        assertEquals(new Balance(800, 0), guard.balance(budget));
        CallRecord record = lastRecord();
        assertEquals("allow", record.decision());
        assertEquals(CallRecord.Outcome.SETTLED, record.outcome());
        assertEquals(3_000, record.reservedMicros());
        assertEquals(800, record.settledMicros());
        assertEquals(1_000, record.inputTokensEstimated());
        assertEquals(2_000, record.outputTokensAssumed());
        assertEquals("budget.all.limit-usd", record.rule());
        assertEquals(permit.callId(), record.callId());
    }

    @Test
    void permitSettleIsIdempotent() {
        BudgetSpec budget = total("all", 10_000);
        Guard guard = guard(budget);
        Permit permit = guard.preflight(call("test-model", 100, 900));

        permit.settle(used(100, 200));
        permit.settle(used(100, 900));
        permit.release("late failure");
        permit.chargeReservation("late");

        assertTrue(permit.isFinished());
        assertEquals(new Balance(300, 0), guard.balance(budget));
        assertEquals(1, records.size(), "recorded exactly once");
        assertEquals(CallRecord.Outcome.SETTLED, records.get(0).outcome());
    }

    @Test
    void permitReleaseIsIdempotentAndChargesNothing() {
        BudgetSpec budget = total("all", 10_000);
        Guard guard = guard(budget);
        Permit permit = guard.preflight(call("test-model", 100, 900));

        permit.release("HTTP 500");
        permit.release("HTTP 500 again");
        permit.settle(used(100, 900));

        assertEquals(Balance.EMPTY, guard.balance(budget));
        assertEquals(1, records.size());
        assertEquals(CallRecord.Outcome.RELEASED, records.get(0).outcome());
        assertEquals("HTTP 500", records.get(0).detail());
        assertEquals(0, records.get(0).settledMicros());
        assertNull(records.get(0).usage());
    }

    @Test
    void chargeReservationChargesTheWorstCaseOnce() {
        BudgetSpec budget = total("all", 10_000);
        Guard guard = guard(budget);
        Permit permit = guard.preflight(call("test-model", 100, 900));

        permit.chargeReservation("no usage in response");
        permit.chargeReservation("again");
        permit.settle(used(1, 1));

        assertEquals(new Balance(1_000, 0), guard.balance(budget));
        assertEquals(1, records.size());
        assertEquals(CallRecord.Outcome.CHARGED_RESERVATION, records.get(0).outcome());
        assertEquals(1_000, records.get(0).settledMicros());
    }

    @Test
    void concurrentSettleAndReleaseOfOnePermitTakeEffectOnce() throws InterruptedException {
        BudgetSpec budget = total("all", 10_000);
        Guard guard = guard(budget);
        Permit permit = guard.preflight(call("test-model", 100, 900));
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (n % 2 == 0) {
                    permit.settle(used(100, 100));
                } else {
                    permit.release("failed");
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        Balance balance = guard.balance(budget);
        assertEquals(0, balance.heldMicros());
        assertTrue(balance.spentMicros() == 0 || balance.spentMicros() == 200, balance.toString());
        assertEquals(1, records.size());
    }

    @Test
    void anUnpricedModelIsRefusedUnderBlock() {
        BudgetSpec budget = total("all", 1_000_000);
        Guard guard = guard(budget);

        UnpricedModelException refused = assertThrows(UnpricedModelException.class,
                () -> guard.preflight(call("my-private-model", 10, 10)));

        assertInstanceOf(BudgetExceededException.class, refused);
        assertEquals("my-private-model", refused.model());
        assertEquals("pricing.unknown-model", refused.rule());
        assertEquals(0, refused.estimateMicros());
        assertNull(refused.budget());
        assertTrue(refused.getMessage().contains("'my-private-model' has no price"), refused.getMessage());
        assertEquals(Balance.EMPTY, guard.balance(budget));
        assertEquals("pricing.unknown-model", lastRecord().rule());
        assertEquals(CallRecord.Outcome.REFUSED, lastRecord().outcome());
    }

    @Test
    void anUnpricedModelIsPricedAtTheFallbackUnderFallback() {
        BudgetSpec budget = total("all", 1_000_000);
        // $2 in, $4 out per million tokens
        ModelPrice fallback = new ModelPrice("fallback", 2_000_000, 2_000_000, 2_000_000, 4_000_000, 0);
        Guard guard = guard(UnknownModelPolicy.FALLBACK, fallback, budget);

        Permit permit = guard.preflight(call("my-private-model", 100, 100));
        assertEquals(600, permit.reservedMicros());
        permit.settle(used(100, 50));
        assertEquals(new Balance(400, 0), guard.balance(budget));

        // a listed model keeps its own price
        assertEquals(200, guard.preflight(call("test-model", 100, 100)).reservedMicros());
    }

    @Test
    void fallbackPolicyWithoutAFallbackPriceStillNeverTreatsAModelAsFree() {
        Guard guard = guard(UnknownModelPolicy.FALLBACK, null, total("all", 1_000_000));
        assertThrows(UnpricedModelException.class, () -> guard.preflight(call("my-private-model", 1, 1)));
    }

    @Test
    void aRequestWithoutAnOutputCeilingAssumesTheConfiguredDefault() {
        Guard guard = guard(total("all", 1_000_000));
        assertEquals(100 + DEFAULT_MAX_OUTPUT, guard.preflight(call("test-model", 100, 0)).reservedMicros());
    }

    @Test
    void everyRequestedChoiceMayUseTheWholeCeiling() {
        Guard guard = guard(total("all", 1_000_000));
        LlmCall threeChoices = new LlmCall("openai", "chat.completions", "test-model",
                new Prompt(List.of(), 0, 0, 100), 200, 3, true, false, null);
        assertEquals(100 + 3 * 200, guard.preflight(threeChoices).reservedMicros());
    }

    @Test
    void endpointsWithoutOutputReserveOnlyTheirInput() {
        Guard guard = guard(total("all", 1_000_000));
        LlmCall embedding = new LlmCall("openai", "embeddings", "text-embedding-3-small",
                new Prompt(List.of(), 0, 0, 250), 0, 1, false, false, null);
        assertEquals(250, guard.preflight(embedding).reservedMicros());
    }

    @Test
    void theEstimateUsesTheRealTokenCountForText() {
        Guard guard = guard(total("all", 1_000_000));
        String text = "Summarise the following report in three bullet points.";
        LlmCall chat = new LlmCall("openai", "chat.completions", "gpt-4o-mini",
                new Prompt(List.of(text), 1, 0, 0), 50, 1, true, false, null);
        long tokens = new TokenCounter().count("gpt-4o-mini", chat.prompt()).tokens();
        assertTrue(tokens > 6 && tokens < text.length(), "tokens: " + tokens);

        Permit permit = guard.preflight(chat);
        assertEquals(tokens + 50, permit.reservedMicros());
        permit.settle(used(tokens, 10));
        assertEquals("EXACT_O200K", lastRecord().tokenCountMethod());
        assertEquals(tokens, lastRecord().inputTokensEstimated());
    }

    @Test
    void theLedgerSaysWhenAHugeWordWasBoundedByBytesInsteadOfTokenized() {
        Guard guard = guard(total("all", 10_000_000));
        String word = "QUJD".repeat(50_000); // 200 KB without whitespace
        LlmCall chat = new LlmCall("openai", "chat.completions", "gpt-4o-mini",
                new Prompt(List.of(word), 1, 0, 0), 50, 1, true, false, null);

        Permit permit = guard.preflight(chat);
        long expected = word.length() + TokenCounter.TOKENS_PER_MESSAGE + TokenCounter.TOKENS_PER_REPLY;
        assertEquals(expected + 50, permit.reservedMicros());
        permit.settle(used(1_000, 10));
        assertEquals("BYTE_BOUND_LONG_WORD", lastRecord().tokenCountMethod());
        assertEquals(expected, lastRecord().inputTokensEstimated());
    }

    @Test
    void callIdsAreDistinct() {
        Guard guard = guard(total("all", 1_000_000));
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertTrue(ids.add(guard.preflight(call("test-model", 1, 1)).callId()));
        }
    }

    @Test
    void aRequestOverTheOutputCeilingIsReservedAtTheCeilingAndMarkedForRewriting() {
        Guard guard = new Guard(new GuardSettings(List.of(total("run", 1_000_000)), DEFAULT_MAX_OUTPUT, UnknownModelPolicy.BLOCK,
                null, new OutputCeiling(100, false)), PRICES, new TokenCounter(), store, clock, records::add);

        Permit over = guard.preflight(call("test-model", 10, 5_000));
        Permit none = guard.preflight(call("test-model", 10, 0));
        Permit under = guard.preflight(call("test-model", 10, 50));

        assertEquals(100, over.clampedOutputTokens());
        assertEquals(10 + 100, over.reservedMicros(), "one micro-USD per token: input + the ceiling");
        assertEquals(100, none.clampedOutputTokens(), "no maximum set is past any ceiling");
        assertEquals(0, under.clampedOutputTokens());
        assertEquals(10 + 50, under.reservedMicros());
        over.release("test");
        assertTrue(records.get(records.size() - 1).detail().startsWith("max output tokens rewritten to 100"),
                records.get(records.size() - 1)::toString);
    }

    @Test
    void withActionRefuseARequestOverTheCeilingIsRefusedNamingTheKey() {
        Guard guard = new Guard(new GuardSettings(List.of(total("run", 1_000_000)), DEFAULT_MAX_OUTPUT, UnknownModelPolicy.BLOCK,
                null, new OutputCeiling(100, true)), PRICES, new TokenCounter(), store, clock, records::add);

        BudgetExceededException refused = assertThrows(BudgetExceededException.class,
                () -> guard.preflight(call("test-model", 10, 5_000)));

        assertEquals("limits.max-output-tokens", refused.rule());
        assertTrue(refused.getMessage().contains("asks for up to 5000 output tokens, over the ceiling of 100"), refused.getMessage());
        assertEquals(0, guard.balance(total("run", 1_000_000)).heldMicros(), "nothing is held for a refused call");
        assertEquals("refuse", records.get(records.size() - 1).decision());
    }

    private static LlmCall callWithKey(String model, long inputTokens, String fingerprint) {
        return new LlmCall("openai", "chat.completions", model, new Prompt(List.of(), 0, 0, inputTokens), 900, 1, true,
                false, fingerprint);
    }

    @Test
    void aBudgetPerApiKeyGivesEachKeyTheWholeLimit() {
        BudgetSpec perKey = new BudgetSpec("per-key", 2_000, BudgetWindow.TOTAL, ModelGlob.ANY, Partition.API_KEY);
        Guard guard = guard(perKey);
        guard.preflight(callWithKey("test-model", 100, "sk-…aaaa#0001")).settle(used(100, 900));
        guard.preflight(callWithKey("test-model", 100, "sk-…aaaa#0001")).settle(used(100, 900));

        BudgetExceededException refused = assertThrows(BudgetExceededException.class,
                () -> guard.preflight(callWithKey("test-model", 100, "sk-…aaaa#0001")));
        assertTrue(refused.getMessage().contains("budget 'per-key' for API key sk-…aaaa#0001 (window total)"), refused.getMessage());
        assertEquals(2_000, refused.spentMicros());
        // another key has its own account
        guard.preflight(callWithKey("test-model", 100, "sk-…bbbb#0002")).settle(used(100, 900));
        assertEquals(new Balance(1_000, 0), store.balance(new dev.llmbudget.store.AccountRef("per-key",
                "per-key/key=" + Partition.encode("sk-…bbbb#0002") + "/total", 0, 0)));
    }

    @Test
    void aBudgetPerModelKeepsModelsApart() {
        BudgetSpec perModel = new BudgetSpec("per-model", 1_000, BudgetWindow.TOTAL, ModelGlob.ANY, Partition.MODEL);
        Guard guard = guard(perModel);
        guard.preflight(call("test-model", 100, 900)).settle(used(100, 900));
        assertThrows(BudgetExceededException.class, () -> guard.preflight(call("test-model", 100, 900)));
        guard.preflight(call("gpt-4o-mini", 100, 900));
    }

    @Test
    void aRollingWindowLetsSpendAgeOut() {
        BudgetSpec rolling = new BudgetSpec("rolling", 1_000, BudgetWindow.parse("rolling-1h", ZoneId.of("UTC")), ModelGlob.ANY);
        Guard guard = guard(rolling);
        guard.preflight(call("test-model", 100, 900)).settle(used(100, 900));
        clock.advance(java.time.Duration.ofMinutes(30));
        assertThrows(BudgetExceededException.class, () -> guard.preflight(call("test-model", 100, 900)), "still within the hour");
        clock.advance(java.time.Duration.ofMinutes(32)); // 62 minutes later: the spend is past the hour plus one bucket
        guard.preflight(call("test-model", 100, 900));
    }

    @Test
    void anHourlyWindowStartsAgainAtTheHour() {
        BudgetSpec hourly = new BudgetSpec("hourly", 1_000, BudgetWindow.parse("hour", ZoneId.of("UTC")), ModelGlob.ANY);
        Guard guard = guard(hourly);
        guard.preflight(call("test-model", 100, 900)).settle(used(100, 900));
        assertThrows(BudgetExceededException.class, () -> guard.preflight(call("test-model", 100, 900)));
        clock.advance(java.time.Duration.ofMinutes(60));
        guard.preflight(call("test-model", 100, 900));
    }

    /** A shared store that answers every reservation with one outcome (Redis tests run the real one). */
    private static SpendStore answering(ReserveResult answer) {
        return new SpendStore() {
            public ReserveResult reserve(String id, List<dev.llmbudget.store.AccountRef> accounts, long amount) {
                return answer;
            }
            public void settle(Reservation reservation, long actualMicros) {
            }
            public void release(Reservation reservation) {
            }
            public Balance balance(dev.llmbudget.store.AccountRef account) {
                return Balance.EMPTY;
            }
            public List<AccountBalance> accounts() {
                return List.of();
            }
            public String describe() {
                return "fixed";
            }
            public void close() {
            }
        };
    }

    @Test
    void aHaltedStoreRefusesWithTheOperatorsReasonAndSaysSoInTheLedger() {
        Guard guard = new Guard(new GuardSettings(List.of(total("all", 10_000)), DEFAULT_MAX_OUTPUT, UnknownModelPolicy.BLOCK, null),
                PRICES, new TokenCounter(), answering(new ReserveResult.Halted("killswitch.redis-key", "incident 42 (alice)")),
                clock, records::add);
        AgentHaltedException halted = assertThrows(AgentHaltedException.class, () -> guard.preflight(call("test-model", 1, 1)));
        assertEquals("killswitch.redis-key", halted.rule());
        assertEquals("incident 42 (alice)", halted.reason());
        assertTrue(halted.getMessage().contains("halted by killswitch.redis-key (incident 42 (alice))"), halted.getMessage());
        assertEquals("killswitch.redis-key", lastRecord().rule());
        assertEquals(CallRecord.Outcome.REFUSED, lastRecord().outcome());
    }

    @Test
    void anUnreachableSharedStoreRefusesNamingThePolicy() {
        Guard guard = new Guard(new GuardSettings(List.of(total("all", 10_000)), DEFAULT_MAX_OUTPUT, UnknownModelPolicy.BLOCK, null),
                PRICES, new TokenCounter(), answering(new ReserveResult.Unavailable("store.redis.on-unavailable",
                        "Redis at 127.0.0.1:6390 cannot be reached (connection refused)")), clock, records::add);
        StoreUnavailableException refused = assertThrows(StoreUnavailableException.class, () -> guard.preflight(call("test-model", 1, 1)));
        assertEquals("store.redis.on-unavailable", refused.rule());
        assertTrue(refused.getMessage().contains("Redis at 127.0.0.1:6390 cannot be reached"), refused.getMessage());
        assertEquals("store.redis.on-unavailable", lastRecord().rule());
    }
}
