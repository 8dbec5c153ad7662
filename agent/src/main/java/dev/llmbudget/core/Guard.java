package dev.llmbudget.core;

import dev.llmbudget.AgentHaltedException;
import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.BurnRateExceededException;
import dev.llmbudget.LimitExceededException;
import dev.llmbudget.StoreUnavailableException;
import dev.llmbudget.UnpricedModelException;
import dev.llmbudget.core.limits.LimitedCall;
import dev.llmbudget.core.limits.Limits;
import dev.llmbudget.core.limits.Ticket;
import dev.llmbudget.pricing.Money;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.tokens.TokenCounter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether an LLM call may be sent. Pure decision logic: no bytecode, no network, no files;
 * interception points translate library objects into an {@link LlmCall} and call {@link #preflight}.
 *
 * <p>Pre-flight asks the kill switches, counts the input tokens, takes the request's output ceiling
 * (or the configured default), prices the worst case, passes the call through the limits of
 * {@code limits.*} (run caps, retries, circuit, loops, rate, concurrency) and reserves the worst case in
 * every budget the call matches (the burn rate among them), atomically. If anything refuses, the call
 * is refused with a {@link BudgetExceededException} naming the rule, and nothing is held. Otherwise
 * the caller gets a {@link Permit} to settle with the real usage afterwards.
 */
public final class Guard implements CallGate {
    private final GuardSettings settings;
    private final PriceTable prices;
    private final TokenCounter tokens;
    private final SpendStore store;
    private final Clock clock;
    private final CallRecorder recorder;
    private final CallIds ids;
    private final Map<String, Selection> budgetsByModel = new ConcurrentHashMap<>();
    private final List<BudgetAccounts> allBudgets;
    private final ScopeSource scopes;
    private final HaltSwitch halts;
    private final Limits limits;
    private final boolean fingerprints;

    /** A guard without runs, tenants or kill switches (tests, benchmarks). */
    public Guard(GuardSettings settings, PriceTable prices, TokenCounter tokens, SpendStore store, Clock clock,
                 CallRecorder recorder) {
        this(settings, prices, tokens, store, clock, recorder, ScopeSource.NONE, HaltSwitch.NONE);
    }

    public Guard(GuardSettings settings, PriceTable prices, TokenCounter tokens, SpendStore store, Clock clock,
                 CallRecorder recorder, ScopeSource scopes, HaltSwitch halts) {
        this(settings, prices, tokens, store, clock, recorder, scopes, halts, AlertSink.NONE);
    }

    /** @param alerts told when a circuit opens */
    public Guard(GuardSettings settings, PriceTable prices, TokenCounter tokens, SpendStore store, Clock clock,
                 CallRecorder recorder, ScopeSource scopes, HaltSwitch halts, AlertSink alerts) {
        this(settings, prices, tokens, store, clock, recorder, scopes, halts,
                Limits.of(settings.limits(), System::nanoTime, alerts, settings.shadow()), new CallIds());
    }

    private Guard(GuardSettings settings, PriceTable prices, TokenCounter tokens, SpendStore store, Clock clock,
                  CallRecorder recorder, ScopeSource scopes, HaltSwitch halts, Limits limits, CallIds ids) {
        this.ids = ids;
        this.scopes = scopes;
        this.halts = halts;
        this.limits = limits;
        this.fingerprints = limits.needsFingerprint();
        this.settings = settings;
        this.prices = prices;
        this.tokens = tokens;
        this.store = store;
        this.clock = clock;
        this.recorder = recorder;
        List<BudgetAccounts> budgets = new ArrayList<>();
        for (BudgetSpec budget : settings.budgets()) {
            budgets.add(new BudgetAccounts(budget));
        }
        if (settings.limits().burnRateMicrosPerMinute() > 0) {
            budgets.add(new BudgetAccounts(BudgetSpec.burnRate(settings.limits().burnRateMicrosPerMinute(), settings.shadow())));
        }
        this.allBudgets = List.copyOf(budgets);
    }

    /**
     * The guard of a reloaded configuration: the same store (so spend and calls in flight carry over), ledger,
     * call ids and run/tenant source. The limits' state (runs' counts, circuits, rate buckets, calls in flight)
     * carries over when {@code limits.*} and the mode are unchanged; otherwise they start afresh.
     */
    public Guard reconfigured(GuardSettings next, PriceTable nextPrices, TokenCounter nextTokens, HaltSwitch nextHalts,
                              AlertSink alerts) {
        boolean sameLimits = next.limits().equals(settings.limits()) && next.shadow() == settings.shadow();
        Limits nextLimits = sameLimits ? limits : Limits.of(next.limits(), System::nanoTime, alerts, next.shadow());
        return new Guard(next, nextPrices, nextTokens, store, clock, recorder, scopes, nextHalts, nextLimits, ids);
    }

    /**
     * Reserves the call's worst-case cost in every matching budget.
     *
     * @throws BudgetExceededException when a budget cannot take it, or the model has no price and
     *     {@code pricing.unknown-model=block}
     */
    @Override
    public Permit preflight(LlmCall call) {
        long startedNanos = System.nanoTime();
        Instant now = clock.instant();
        String callId = ids.next();
        CallScope scope = scopeOfThisCall();
        HaltSwitch.Halt halt = halts.check();
        if (halt != null) {
            // an operator's halt is not a decision under trial: it halts in shadow mode too
            Estimate unpriced = new Estimate(callId, now, call, new TokenCounter.Count(0, null), 0, 0, null, 0, scope, startedNanos);
            recordRefusal(unpriced, halt.rule(), budgetsFor(call.model()).names(), "halted: " + halt.reason());
            throw halted(call, halt.rule(), halt.reason());
        }
        boolean shadow = settings.shadow();
        Selection selection = budgetsFor(call.model());
        ShadowRefusal wouldRefuse = null;
        ModelPrice price = priceOf(call);
        if (price == null) {
            Estimate unpriced = new Estimate(callId, now, call, new TokenCounter.Count(0, null), 0, 0, null, 0, scope, startedNanos);
            wouldRefuse = refuseOrShadow(shadow, unpriced, "pricing.unknown-model", selection, "no price for model",
                    unpriced(call), null);
            price = ModelPrice.free(call.model());
        }
        TokenCounter.Count input = tokens.count(call.model(), call.prompt());
        OutputCeiling ceiling = settings.outputCeiling();
        long clampTo = 0;
        if (call.producesOutput() && ceiling.exceededBy(call.maxOutputTokens())) {
            if (ceiling.refuse()) {
                Estimate asked = new Estimate(callId, now, call, input, call.maxOutputTokens(), 0, price, 0, scope, startedNanos);
                wouldRefuse = refuseOrShadow(shadow, asked, OutputCeiling.KEY, selection, "over the output ceiling",
                        overCeiling(call, ceiling), wouldRefuse);
            } else if (!shadow) {
                // shadow mode sends every request as the application wrote it
                clampTo = ceiling.maxTokens();
            }
        }
        long perChoice = clampTo > 0 ? clampTo
                : call.maxOutputTokens() > 0 ? call.maxOutputTokens() : settings.defaultMaxOutputTokens();
        long outputAllowance = call.producesOutput() ? perChoice * Math.max(1, call.choices()) : 0;
        long estimate = price.worstCaseMicros(input.tokens(), outputAllowance);
        Estimate worstCase = new Estimate(callId, now, call, input, outputAllowance, estimate, price, clampTo, scope, startedNanos);

        Ticket admitted = Ticket.NONE;
        try {
            if (!limits.isEmpty()) {
                admitted = limits.admit(new LimitedCall(call, scope, fingerprints ? RequestFingerprint.of(call) : 0,
                        input.tokens() + outputAllowance, estimate), System.nanoTime());
            }
        } catch (LimitExceededException refused) {
            wouldRefuse = refuseOrShadow(shadow, worstCase, refused.rule(), selection, null, refused, wouldRefuse);
        }
        List<BudgetAccounts> budgets = selection.budgets();
        List<AccountRef> accounts = new ArrayList<>(budgets.size());
        List<AccountRef> reserved = new ArrayList<>(budgets.size());
        ReserveResult result;
        try {
            for (BudgetAccounts budget : budgets) {
                AccountRef account = budget.accountFor(call, scope, now);
                accounts.add(account);
                reserved.add(budget.budget().shadow() ? account.unlimited() : account);
            }
            result = store.reserve(callId, reserved, estimate);
        } catch (RuntimeException | Error error) {
            admitted.cancel();
            throw error;
        }
        Reservation reservation = null;
        if (result instanceof ReserveResult.Granted granted) {
            reservation = granted.reservation();
            if (selection.shadowed()) {
                wouldRefuse = overShadowBudgets(worstCase, selection, accounts, wouldRefuse);
            }
        } else if (shadow && result instanceof ReserveResult.Unavailable) {
            // the store cannot take the hold: the call goes out unheld, as every budget is only watched
            wouldRefuse = refuseOrShadow(true, worstCase, ((ReserveResult.Unavailable) result).rule(), selection, null,
                    refusal(result, worstCase, selection, false), wouldRefuse);
            accounts = List.of();
        } else {
            admitted.cancel();
            throw refusal(result, worstCase, selection, true);
        }
        return new Permit(this, worstCase, reservation, selection.names(), selection.rule(), admitted, accounts, wouldRefuse);
    }

    /**
     * A refusal decided. Enforced: written to the ledger and thrown. In shadow: logged at WARN and kept (the
     * first one) for the call's ledger line, which then says {@code would-refuse}; the call goes on.
     */
    private ShadowRefusal refuseOrShadow(boolean shadow, Estimate estimate, String rule, Selection selection, String detail,
                                         BudgetExceededException refusal, ShadowRefusal earlier) {
        if (!shadow) {
            recordRefusal(estimate, rule, selection.names(), detail);
            throw refusal;
        }
        AgentLog.warn("SHADOW: would refuse (" + rule + "), sent anyway: " + refusal.getMessage());
        return earlier != null ? earlier : new ShadowRefusal(rule, refusal.getMessage());
    }

    /**
     * The shadow budgets were reserved without their limits; whether one of them would have refused is read
     * back from the store, with this call's hold in it. (One more store read per call, only while budgets shadow.)
     */
    private ShadowRefusal overShadowBudgets(Estimate worstCase, Selection selection, List<AccountRef> accounts,
                                            ShadowRefusal earlier) {
        ShadowRefusal first = earlier;
        List<BudgetAccounts> budgets = selection.budgets();
        for (int i = 0; i < budgets.size(); i++) {
            BudgetSpec budget = budgets.get(i).budget();
            if (!budget.shadow()) {
                continue;
            }
            Balance withThis = store.balance(accounts.get(i));
            if (withThis.spentMicros() + withThis.heldMicros() > budget.limitMicros()) {
                Balance before = new Balance(withThis.spentMicros(), Math.max(0, withThis.heldMicros() - worstCase.worstCaseMicros()));
                BudgetExceededException refusal = budget.isBurnRate() ? overBurnRate(worstCase, budget, before)
                        : overBudget(worstCase, budget, before);
                first = refuseOrShadow(true, worstCase, budget.limitKey(), selection, null, refusal, first);
            }
        }
        return first;
    }

    /** The run and tenant of the call; a failure to read them never stops the call, it only loses them. */
    private CallScope scopeOfThisCall() {
        try {
            CallScope scope = scopes.current();
            return scope == null ? CallScope.NONE : scope;
        } catch (RuntimeException error) {
            return CallScope.NONE;
        }
    }

    /** Current spend and holds of a global budget in the window that contains now. */
    public Balance balance(BudgetSpec budget) {
        return store.balance(new BudgetAccounts(budget).accountFor(null, CallScope.NONE, clock.instant()));
    }

    /** The refusal a store's answer means, written to the ledger when {@code record}. */
    private BudgetExceededException refusal(ReserveResult result, Estimate worstCase, Selection selection, boolean record) {
        if (result instanceof ReserveResult.Denied denied) {
            BudgetSpec budget = byName(selection.budgets(), denied.account().budget());
            if (record) {
                recordRefusal(worstCase, budget.limitKey(), selection.names(), null);
            }
            return budget.isBurnRate() ? overBurnRate(worstCase, budget, denied.balance())
                    : overBudget(worstCase, budget, denied.balance());
        }
        if (result instanceof ReserveResult.Halted halted) {
            if (record) {
                recordRefusal(worstCase, halted.rule(), selection.names(), "halted: " + halted.reason());
            }
            return halted(worstCase.call(), halted.rule(), halted.reason());
        }
        ReserveResult.Unavailable unavailable = (ReserveResult.Unavailable) result;
        if (record) {
            recordRefusal(worstCase, unavailable.rule(), selection.names(), unavailable.reason());
        }
        return new StoreUnavailableException("llm-budget-agent refused this " + worstCase.call().model()
                + " call before sending it: its spend cannot be checked against the shared budget. " + unavailable.reason()
                + ". Set store.redis.on-unavailable=local to grant calls from a bounded local slice while the store is away.",
                unavailable.rule(), worstCase.worstCaseMicros());
    }

    public GuardSettings settings() {
        return settings;
    }

    /** Records a call the agent could not guard (internal error) so that the ledger still shows it. */
    @Override
    public void recordUnguarded(LlmCall call, String detail) {
        LlmCall known = call != null ? call : new LlmCall("unknown", "unknown", null, null, 0, 1, true, false, null);
        recorder.record(new CallRecord(clock.instant(), ids.next(), known, 0, null, 0, null, 0, 0, List.of(),
                "unguarded", CallRecord.Outcome.UNGUARDED, "on-internal-error", detail, 0, 0, scopeOfThisCall()));
    }

    Clock clock() {
        return clock;
    }

    TokenCounter tokens() {
        return tokens;
    }

    SpendStore store() {
        return store;
    }

    CallRecorder recorder() {
        return recorder;
    }

    /**
     * What pre-flight worked out for a call.
     *
     * @param clampedOutputTokens the output ceiling the request must be rewritten to before it is sent, or 0
     */
    record Estimate(String callId, Instant time, LlmCall call, TokenCounter.Count input, long outputAllowance,
                    long worstCaseMicros, ModelPrice price, long clampedOutputTokens, CallScope scope, long startedNanos) {
    }

    /** The first refusal shadow mode let pass: its rule and the message enforcing would have thrown. */
    record ShadowRefusal(String rule, String message) {
    }

    private static AgentHaltedException halted(LlmCall call, String rule, String reason) {
        return new AgentHaltedException("llm-budget-agent refused this " + call.model()
                + " call before sending it: every LLM call is halted by " + rule + " (" + reason
                + "). Calls resume when the switch is removed.", rule, reason);
    }

    /** The model's price: listed, or the fallback price under {@code pricing.unknown-model=fallback}; null when it has none. */
    private ModelPrice priceOf(LlmCall call) {
        Optional<ModelPrice> listed = prices.find(call.model());
        if (listed.isPresent()) {
            return listed.get();
        }
        if (settings.unknownModel() == UnknownModelPolicy.FALLBACK && settings.fallbackPrice() != null) {
            return settings.fallbackPrice();
        }
        return null;
    }

    private static UnpricedModelException unpriced(LlmCall call) {
        return new UnpricedModelException("llm-budget-agent refused a " + call.provider() + " " + call.endpoint()
                + " call: model '" + call.model() + "' has no price, and an unknown model is never treated as free"
                + " (pricing.unknown-model=block). Add the model to the file named by prices.file"
                + " (LiteLLM model_prices_and_context_window.json format), or set pricing.unknown-model=fallback"
                + " with pricing.fallback.input-usd-per-mtok and pricing.fallback.output-usd-per-mtok.",
                call.model());
    }

    /**
     * The budgets a model falls under, worked out once per model name.
     *
     * @param shadowed whether any of them only watches ({@code mode=shadow})
     */
    private record Selection(List<BudgetAccounts> budgets, List<String> names, String rule, boolean shadowed) {
    }

    private Selection budgetsFor(String model) {
        return budgetsByModel.computeIfAbsent(model == null ? "" : model, name -> {
            List<BudgetSpec> matching = new ArrayList<>();
            List<BudgetAccounts> accounts = new ArrayList<>();
            boolean shadowed = false;
            for (BudgetAccounts budget : allBudgets) {
                if (budget.budget().models().matches(name)) {
                    matching.add(budget.budget());
                    accounts.add(budget);
                    shadowed |= budget.budget().shadow();
                }
            }
            return new Selection(List.copyOf(accounts), budgetNames(matching), smallestLimitRule(matching), shadowed);
        });
    }

    private void recordRefusal(Estimate estimate, String rule, List<String> budgets, String detail) {
        recorder.record(new CallRecord(estimate.time(), estimate.callId(), estimate.call(), estimate.input().tokens(),
                estimate.input().method() == null ? null : estimate.input().method().name(), estimate.outputAllowance(),
                null, estimate.worstCaseMicros(), 0, budgets, "refuse", CallRecord.Outcome.REFUSED, rule, detail, 0, 0,
                estimate.scope(), System.nanoTime() - estimate.startedNanos(), List.of()));
    }

    private static BudgetExceededException overBudget(Estimate estimate, BudgetSpec budget, Balance balance) {
        LlmCall call = estimate.call();
        String message = "llm-budget-agent refused this " + call.model() + " call before sending it: budget '"
                + budget.name() + "'" + budget.per().describe(call, estimate.scope()) + " (window " + budget.window() + ") cannot take its worst-case cost."
                + " Spent " + Money.format(balance.spentMicros())
                + " + reserved by calls in flight " + Money.format(balance.heldMicros())
                + " + this call " + Money.format(estimate.worstCaseMicros())
                + " (" + estimate.input().tokens() + " input tokens + up to " + estimate.outputAllowance() + " output tokens)"
                + " > limit " + Money.format(budget.limitMicros()) + "."
                + " Raise " + budget.limitKey() + " to allow more.";
        return new BudgetExceededException(message, budget.limitKey(), budget.name(), balance.spentMicros(),
                balance.heldMicros(), budget.limitMicros(), estimate.worstCaseMicros());
    }

    private static BurnRateExceededException overBurnRate(Estimate estimate, BudgetSpec budget, Balance balance) {
        long wouldBe = balance.spentMicros() + balance.heldMicros() + estimate.worstCaseMicros();
        return new BurnRateExceededException("llm-budget-agent refused this " + estimate.call().model() + " call before sending it:"
                + " spend over the last minute would reach " + Money.format(wouldBe) + " (spent " + Money.format(balance.spentMicros())
                + " + in flight " + Money.format(balance.heldMicros()) + " + this call up to " + Money.format(estimate.worstCaseMicros())
                + "), over " + budget.limitKey() + "=" + Money.format(budget.limitMicros()) + ". Spend this fast is usually a loop;"
                + " raise " + budget.limitKey() + " if it is not.", budget.limitKey(), wouldBe, budget.limitMicros(), "global",
                estimate.worstCaseMicros());
    }

    private static BudgetExceededException overCeiling(LlmCall call, OutputCeiling ceiling) {
        String asked = call.maxOutputTokens() > 0 ? "asks for up to " + call.maxOutputTokens() + " output tokens"
                : "sets no maximum output";
        return new BudgetExceededException("llm-budget-agent refused this " + call.model() + " call before sending it: it "
                + asked + ", over the ceiling of " + ceiling.maxTokens() + " (" + OutputCeiling.KEY
                + ", action refuse). Set a smaller maximum in the request, raise " + OutputCeiling.KEY
                + ", or set " + OutputCeiling.KEY + ".action=clamp.", OutputCeiling.KEY, null, 0, 0, 0, 0);
    }

    private static BudgetSpec byName(List<BudgetAccounts> budgets, String name) {
        for (BudgetAccounts budget : budgets) {
            if (budget.budget().name().equals(name)) {
                return budget.budget();
            }
        }
        throw new IllegalStateException("store refused with unknown budget " + name);
    }

    /** The rule named on an allowed call's ledger line: the limit key of the smallest budget it had to fit. */
    private static String smallestLimitRule(List<BudgetSpec> budgets) {
        if (budgets.isEmpty()) {
            return "no-matching-budget";
        }
        BudgetSpec smallest = budgets.get(0);
        for (BudgetSpec budget : budgets) {
            if (budget.limitMicros() < smallest.limitMicros()) {
                smallest = budget;
            }
        }
        return smallest.limitKey();
    }

    private static List<String> budgetNames(List<BudgetSpec> budgets) {
        List<String> names = new ArrayList<>(budgets.size());
        for (BudgetSpec budget : budgets) {
            names.add(budget.name());
        }
        return names;
    }
}
