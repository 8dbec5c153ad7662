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
    private final CallIds ids = new CallIds();
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
        this.scopes = scopes;
        this.halts = halts;
        this.limits = Limits.of(settings.limits(), System::nanoTime);
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
            budgets.add(new BudgetAccounts(BudgetSpec.burnRate(settings.limits().burnRateMicrosPerMinute())));
        }
        this.allBudgets = List.copyOf(budgets);
    }

    /**
     * Reserves the call's worst-case cost in every matching budget.
     *
     * @throws BudgetExceededException when a budget cannot take it, or the model has no price and
     *     {@code pricing.unknown-model=block}
     */
    @Override
    public Permit preflight(LlmCall call) {
        Instant now = clock.instant();
        String callId = ids.next();
        CallScope scope = scopeOfThisCall();
        HaltSwitch.Halt halt = halts.check();
        if (halt != null) {
            Estimate unpriced = new Estimate(callId, now, call, new TokenCounter.Count(0, null), 0, 0, null, 0, scope);
            recordRefusal(unpriced, halt.rule(), budgetsFor(call.model()).names(), "halted: " + halt.reason());
            throw halted(call, halt.rule(), halt.reason());
        }
        ModelPrice price = priceOf(call, callId, now, scope);
        TokenCounter.Count input = tokens.count(call.model(), call.prompt());
        OutputCeiling ceiling = settings.outputCeiling();
        long clampTo = 0;
        if (call.producesOutput() && ceiling.exceededBy(call.maxOutputTokens())) {
            if (ceiling.refuse()) {
                Estimate asked = new Estimate(callId, now, call, input, call.maxOutputTokens(), 0, price, 0, scope);
                recordRefusal(asked, OutputCeiling.KEY, budgetsFor(call.model()).names(), "over the output ceiling");
                throw overCeiling(call, ceiling);
            }
            clampTo = ceiling.maxTokens();
        }
        long perChoice = clampTo > 0 ? clampTo
                : call.maxOutputTokens() > 0 ? call.maxOutputTokens() : settings.defaultMaxOutputTokens();
        long outputAllowance = call.producesOutput() ? perChoice * Math.max(1, call.choices()) : 0;
        long estimate = price.worstCaseMicros(input.tokens(), outputAllowance);
        Estimate worstCase = new Estimate(callId, now, call, input, outputAllowance, estimate, price, clampTo, scope);

        Selection selection = budgetsFor(call.model());
        Ticket admitted = Ticket.NONE;
        try {
            if (!limits.isEmpty()) {
                admitted = limits.admit(new LimitedCall(call, scope, fingerprints ? RequestFingerprint.of(call) : 0,
                        input.tokens() + outputAllowance, estimate), System.nanoTime());
            }
        } catch (LimitExceededException refused) {
            recordRefusal(worstCase, refused.rule(), selection.names(), null);
            throw refused;
        }
        List<BudgetAccounts> budgets = selection.budgets();
        List<AccountRef> accounts = new ArrayList<>(budgets.size());
        ReserveResult result;
        try {
            for (BudgetAccounts budget : budgets) {
                accounts.add(budget.accountFor(call, scope, now));
            }
            result = store.reserve(callId, accounts, estimate);
        } catch (RuntimeException | Error error) {
            admitted.cancel();
            throw error;
        }
        if (!(result instanceof ReserveResult.Granted)) {
            admitted.cancel();
            throw refusal(result, worstCase, selection);
        }
        return new Permit(this, worstCase, ((ReserveResult.Granted) result).reservation(), selection.names(),
                selection.rule(), admitted);
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

    private BudgetExceededException refusal(ReserveResult result, Estimate worstCase, Selection selection) {
        if (result instanceof ReserveResult.Denied denied) {
            BudgetSpec budget = byName(selection.budgets(), denied.account().budget());
            recordRefusal(worstCase, budget.limitKey(), selection.names(), null);
            return budget.isBurnRate() ? overBurnRate(worstCase, budget, denied.balance())
                    : overBudget(worstCase, budget, denied.balance());
        }
        if (result instanceof ReserveResult.Halted halted) {
            recordRefusal(worstCase, halted.rule(), selection.names(), "halted: " + halted.reason());
            return halted(worstCase.call(), halted.rule(), halted.reason());
        }
        ReserveResult.Unavailable unavailable = (ReserveResult.Unavailable) result;
        recordRefusal(worstCase, unavailable.rule(), selection.names(), unavailable.reason());
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
                    long worstCaseMicros, ModelPrice price, long clampedOutputTokens, CallScope scope) {
    }

    private static AgentHaltedException halted(LlmCall call, String rule, String reason) {
        return new AgentHaltedException("llm-budget-agent refused this " + call.model()
                + " call before sending it: every LLM call is halted by " + rule + " (" + reason
                + "). Calls resume when the switch is removed.", rule, reason);
    }

    private ModelPrice priceOf(LlmCall call, String callId, Instant now, CallScope scope) {
        Optional<ModelPrice> listed = prices.find(call.model());
        if (listed.isPresent()) {
            return listed.get();
        }
        if (settings.unknownModel() == UnknownModelPolicy.FALLBACK && settings.fallbackPrice() != null) {
            return settings.fallbackPrice();
        }
        Estimate unpriced = new Estimate(callId, now, call, new TokenCounter.Count(0, null), 0, 0, null, 0, scope);
        recordRefusal(unpriced, "pricing.unknown-model", budgetsFor(call.model()).names(), "no price for model");
        throw new UnpricedModelException("llm-budget-agent refused a " + call.provider() + " " + call.endpoint()
                + " call: model '" + call.model() + "' has no price, and an unknown model is never treated as free"
                + " (pricing.unknown-model=block). Add the model to the file named by prices.file"
                + " (LiteLLM model_prices_and_context_window.json format), or set pricing.unknown-model=fallback"
                + " with pricing.fallback.input-usd-per-mtok and pricing.fallback.output-usd-per-mtok.",
                call.model());
    }

    /** The budgets a model falls under, worked out once per model name. */
    private record Selection(List<BudgetAccounts> budgets, List<String> names, String rule) {
    }

    private Selection budgetsFor(String model) {
        return budgetsByModel.computeIfAbsent(model == null ? "" : model, name -> {
            List<BudgetSpec> matching = new ArrayList<>();
            List<BudgetAccounts> accounts = new ArrayList<>();
            for (BudgetAccounts budget : allBudgets) {
                if (budget.budget().models().matches(name)) {
                    matching.add(budget.budget());
                    accounts.add(budget);
                }
            }
            return new Selection(List.copyOf(accounts), budgetNames(matching), smallestLimitRule(matching));
        });
    }

    private void recordRefusal(Estimate estimate, String rule, List<String> budgets, String detail) {
        recorder.record(new CallRecord(estimate.time(), estimate.callId(), estimate.call(), estimate.input().tokens(),
                estimate.input().method() == null ? null : estimate.input().method().name(), estimate.outputAllowance(),
                null, estimate.worstCaseMicros(), 0, budgets, "refuse", CallRecord.Outcome.REFUSED, rule, detail, 0, 0,
                estimate.scope()));
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
