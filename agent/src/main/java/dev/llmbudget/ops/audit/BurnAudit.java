package dev.llmbudget.ops.audit;

import dev.llmbudget.config.AgentConfig;
import dev.llmbudget.config.BudgetConfig;
import dev.llmbudget.config.ConfigKey;
import dev.llmbudget.config.ConfigKeys;
import dev.llmbudget.config.Setting;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code audit}: the worst case a configuration allows, worked out from the configuration alone, with the
 * seeds' formula
 *
 * <pre>Max_Burn = C calls per run × (I input tokens × input price + O output tokens × output price) × R sends per call × N runs at once</pre>
 *
 * and per day, against each budget. Every figure is a {@code long} of micro-USD (no floating point);
 * the price of one call is {@link ModelPrice#worstCaseMicros}, the agent's own reservation. What the
 * configuration leaves open is said as an assumption or, where it is a path without a cap, as a warning.
 */
public final class BurnAudit {
    /** The input tokens assumed per call: no key caps them and the price table carries no context window. */
    public static final long DEFAULT_INPUT_TOKENS = 128_000;
    /** Sends per call assumed without {@code limits.retry.max-attempts}: the OpenAI and Anthropic SDKs retry twice by default. */
    static final long ASSUMED_SENDS = 3;
    static final long MINUTES_PER_DAY = 1440;
    /** A token bucket starts full: a day of {@code limits.rate.*} is one burst plus 1440 minutes of refill. */
    static final long RATE_MINUTES_PER_DAY = MINUTES_PER_DAY + 1;

    /**
     * @param model {@code --model}, or null to audit the models the budgets name (else the dearest priced model)
     * @param inputTokens {@code --input-tokens}, or null for {@link #DEFAULT_INPUT_TOKENS}
     */
    public record Options(String model, Long inputTokens) {
    }

    /** One model's figures, in micro-USD ({@link Micros#UNCAPPED} -1 when nothing caps it). */
    public record ModelBurn(String label, long outputTokens, long perCallMicros, long oneRunMicros, long maxBurnMicros,
                            long perDayMicros) {
    }

    /** The report, its warnings (the {@code WARN} section; exit status 3 when there are any) and the figures per model. */
    public record Result(String report, List<String> warnings, List<ModelBurn> models) {
    }

    private final AgentConfig config;
    private final PriceTable prices;
    private final Options options;
    private final long calls;
    private final long runTokens;
    private final long inputTokens;
    private final long ceiling;
    private final long sends;
    private final long concurrency;
    private final String concurrencyPer;
    private final long rateCalls;
    private final long rateTokens;
    private final String ratePer;
    private final long burnPerMinute;
    private final boolean shadowMode;
    private final ModelPrice fallback;
    private final List<BudgetDay> budgets = new ArrayList<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final StringBuilder out = new StringBuilder();

    private BurnAudit(AgentConfig config, PriceTable prices, Options options) {
        this.config = config;
        this.prices = prices;
        this.options = options;
        calls = capOrUncapped(ConfigKeys.TASK_MAX_CALLS);
        runTokens = capOrUncapped(ConfigKeys.TASK_MAX_TOKENS);
        inputTokens = options.inputTokens() == null ? DEFAULT_INPUT_TOKENS : options.inputTokens();
        ceiling = config.maxOutputTokens();
        long attempts = config.count(ConfigKeys.RETRY_MAX_ATTEMPTS);
        sends = attempts > 0 ? attempts : ASSUMED_SENDS;
        concurrency = config.count(ConfigKeys.CONCURRENCY_MAX);
        concurrencyPer = config.choice(ConfigKeys.CONCURRENCY_PER);
        rateCalls = config.count(ConfigKeys.RATE_CALLS);
        rateTokens = config.count(ConfigKeys.RATE_TOKENS);
        ratePer = config.choice(ConfigKeys.RATE_PER);
        burnPerMinute = config.micros(ConfigKeys.BURN_RATE);
        shadowMode = config.choice(ConfigKeys.MODE).equals("shadow");
        fallback = config.unknownModel().equals("fallback")
                ? new ModelPrice("fallback", config.fallbackInputPerMTok(), config.fallbackInputPerMTok(),
                        config.fallbackInputPerMTok(), config.fallbackOutputPerMTok(), 0)
                : null;
        for (BudgetConfig budget : config.budgets()) {
            budgets.add(BudgetDay.of(budget));
        }
    }

    /** Audits a valid configuration against the price table the agent would use. */
    public static Result run(AgentConfig config, PriceTable prices, Options options) {
        return new BurnAudit(config, prices, options).report();
    }

    private long capOrUncapped(ConfigKey key) {
        long value = config.count(key);
        return value > 0 ? value : Micros.UNCAPPED;
    }

    private Result report() {
        line("Max_Burn audit of " + (config.file() == null ? "no file (defaults and overrides only)" : config.file()));
        line("Money: integer micro-USD, shown in USD. A day: 24 hours, 1440 minutes.");
        line("");
        inputs();
        line("");
        line("Max_Burn = C × (I × input price + O × output price) × R × N    (one run: the same without × N)");
        List<ModelBurn> burns = new ArrayList<>();
        for (ModelSubject subject : ModelSubject.resolve(options.model(), config.budgets(), prices, fallback, this::perCall)) {
            line("");
            burns.add(model(subject));
        }
        globalWarnings();
        if (burns.stream().anyMatch(BurnAudit::overflowed)) {
            warnings.add("a figure is beyond a long of micro-USD (about $9.2 trillion); it is shown saturated");
        }
        line("");
        if (warnings.isEmpty()) {
            line("No warnings: every path has a cap.");
        } else {
            line("WARN (" + warnings.size() + ")");
            for (String warning : warnings) {
                line("  - " + warning);
            }
        }
        return new Result(out.toString(), List.copyOf(warnings), List.copyOf(burns));
    }

    private static boolean overflowed(ModelBurn burn) {
        return burn.perCallMicros() == Micros.OVERFLOW || burn.oneRunMicros() == Micros.OVERFLOW
                || burn.maxBurnMicros() == Micros.OVERFLOW || burn.perDayMicros() == Micros.OVERFLOW;
    }

    private void inputs() {
        line("Inputs");
        input("C", "calls per run", Micros.count(calls), source(ConfigKeys.TASK_MAX_CALLS)
                + (calls == Micros.UNCAPPED ? "" : "; calls outside a run are not counted"));
        input("I", "input tokens per call", Long.toString(inputTokens), "assumed (--input-tokens"
                + (options.inputTokens() == null ? ", default " + DEFAULT_INPUT_TOKENS : "") + "): no key caps input tokens"
                + " and the price table carries no context window");
        input("O", "output tokens per call", "per model", ceiling > 0
                ? source(ConfigKeys.MAX_OUTPUT) + ", or the model's own max_output_tokens if lower"
                : source(ConfigKeys.MAX_OUTPUT) + ": the model's max_output_tokens from the price table, else assumed "
                        + source(ConfigKeys.DEFAULT_MAX_OUTPUT));
        input("R", "sends per call", Long.toString(sends), config.count(ConfigKeys.RETRY_MAX_ATTEMPTS) > 0
                ? source(ConfigKeys.RETRY_MAX_ATTEMPTS)
                : "assumed: " + source(ConfigKeys.RETRY_MAX_ATTEMPTS) + ", the OpenAI and Anthropic SDKs retry twice by default");
        input("N", "runs at once", concurrency > 0 ? concurrency + partitioned(concurrencyPer) : "uncapped",
                source(ConfigKeys.CONCURRENCY_MAX) + (concurrency > 0 ? ", " + source(ConfigKeys.CONCURRENCY_PER) : ""));
        input("", "tokens per run", Micros.count(runTokens), source(ConfigKeys.TASK_MAX_TOKENS));
        input("", "calls per minute", rateCalls > 0 ? rateCalls + partitioned(ratePer) : "uncapped", source(ConfigKeys.RATE_CALLS));
        input("", "tokens per minute", rateTokens > 0 ? rateTokens + partitioned(ratePer) : "uncapped", source(ConfigKeys.RATE_TOKENS));
        input("", "spend per minute", burnPerMinute > 0 ? Micros.usd(burnPerMinute) : "uncapped", source(ConfigKeys.BURN_RATE));
    }

    private static String partitioned(String per) {
        return per.equals("global") ? "" : " per " + partitionWord(per);
    }

    private void input(String symbol, String what, String value, String source) {
        line(String.format(Locale.ROOT, "  %-2s %-23s %-14s %s", symbol, what, value, source));
    }

    /** {@code key=value} as set (with its origin when not the file), {@code key=default (default)}, or {@code key unset}. */
    private String source(ConfigKey key) {
        Setting setting = config.settings().get(key.name());
        if (setting == null) {
            return key.defaultValue() == null ? key.name() + " unset" : key.name() + "=" + key.defaultValue() + " (default)";
        }
        String origin = setting.origin().startsWith("file ") ? "" : " (" + setting.origin() + ")";
        return key.name() + "=" + setting.value().trim() + origin;
    }

    /** O: the output ceiling, else the model's own maximum, else the default allowance. */
    private long outputTokens(ModelPrice price) {
        long modelMax = price.maxOutputTokens();
        if (ceiling > 0) {
            return modelMax > 0 ? Math.min(ceiling, modelMax) : ceiling;
        }
        return modelMax > 0 ? modelMax : config.defaultMaxOutputTokens();
    }

    private String outputSource(ModelPrice price) {
        long modelMax = price.maxOutputTokens();
        if (ceiling > 0) {
            return modelMax > 0 && modelMax < ceiling ? "the model's max_output_tokens, under limits.max-output-tokens=" + ceiling
                    : "limits.max-output-tokens=" + ceiling;
        }
        return modelMax > 0 ? "the model's max_output_tokens: limits.max-output-tokens unset, a request may ask for that much"
                : "assumed: limits.default-max-output-tokens=" + config.defaultMaxOutputTokens() + "; the price table has no maximum";
    }

    long perCall(ModelPrice price) {
        return price.worstCaseMicros(inputTokens, outputTokens(price));
    }

    private ModelBurn model(ModelSubject subject) {
        line("Model " + subject.label());
        if (subject.refused()) {
            line("  every call refused before it is sent: Max_Burn $0.00");
            return new ModelBurn(subject.label(), 0, 0, 0, 0, 0);
        }
        ModelPrice price = subject.price();
        long output = outputTokens(price);
        long perCall = perCall(price);
        long dearestInput = Math.max(price.inputPerMTok(), price.cacheWritePerMTok());
        line("  price      input " + Micros.perMTok(dearestInput)
                + (dearestInput > price.inputPerMTok() ? " (a cache write; plain input " + Micros.perMTok(price.inputPerMTok()) + ")" : "")
                + ", output " + Micros.perMTok(price.outputPerMTok()));
        line("  O          " + output + " (" + outputSource(price) + ")");
        line("  per call   I × input + O × output = " + inputTokens + " × " + Micros.perMTok(dearestInput) + " + " + output
                + " × " + Micros.perMTok(price.outputPerMTok()) + " = " + Micros.usd(perCall));

        long byCalls = Micros.times(calls, perCall);
        long byTokens = runTokens == Micros.UNCAPPED ? Micros.UNCAPPED : tokenCapCost(price, output);
        long limitsRun = Micros.times(Micros.min(byCalls, byTokens), sends);
        if (runTokens == Micros.UNCAPPED) {
            line("  one run    C × per call × R = " + Micros.count(calls) + " × " + Micros.usd(perCall) + " × " + sends + " = "
                    + Micros.usd(limitsRun));
        } else {
            line("  one run    min(C × per call, limits.task.max-tokens=" + runTokens + " at the dearest mix) × R = min("
                    + Micros.usd(byCalls) + ", " + Micros.usd(byTokens) + ") × " + sends + " = " + Micros.usd(limitsRun));
        }
        long oneRun = limitsRun;
        for (BudgetDay day : budgets) {
            if (day.isPerRun() && enforces(day) && subject.countedBy(day.budget()) && Micros.above(oneRun, day.budget().limitMicros())) {
                oneRun = day.budget().limitMicros();
                line("             capped by budget " + day.budget().name() + " (per=task): one run " + Micros.usd(oneRun));
            }
        }

        long runsAtOnce = concurrency > 0 && !concurrencyPer.equals("task") ? concurrency : Micros.UNCAPPED;
        long maxBurn = Micros.times(oneRun, runsAtOnce);
        String partition = concurrency > 0 && !concurrencyPer.equals("global") && !concurrencyPer.equals("task")
                ? " per " + partitionWord(concurrencyPer) : "";
        line("  Max_Burn   one run × N = " + Micros.usd(oneRun) + " × " + Micros.count(runsAtOnce) + " = " + Micros.usd(maxBurn)
                + partition);

        Day day = perDay(price, perCall, "global");
        for (BudgetDay budget : budgets) {
            if (budget.isGlobal() && enforces(budget) && subject.countedBy(budget.budget())) {
                day = lower(day, new Day(budget.mostPerDay(), "budget " + budget.budget().name()));
            }
        }
        line("  per day    " + Micros.usd(day.micros) + (day.micros == Micros.UNCAPPED
                ? " (no global rate, burn-rate or budget caps a day)" : " (binding: " + day.how + ")"));

        List<BudgetDay> counting = budgets.stream().filter(b -> subject.countedBy(b.budget())).toList();
        if (!counting.isEmpty()) {
            line("  budgets");
            for (BudgetDay budget : counting) {
                compare(subject, budget, price, perCall, limitsRun, oneRun);
            }
        }
        return new ModelBurn(subject.label(), output, perCall, oneRun, maxBurn, day.micros);
    }

    /** The most a day can cost at this price by the limits that apply to one account of {@code partition}. */
    private record Day(long micros, String how) {
    }

    private Day perDay(ModelPrice price, long perCall, String partition) {
        Day best = new Day(Micros.UNCAPPED, null);
        boolean rateApplies = ratePer.equals("global") || ratePer.equals(partition);
        if (rateCalls > 0 && rateApplies) {
            long cost = Micros.times(Micros.times(Micros.times(rateCalls, RATE_MINUTES_PER_DAY), perCall), sends);
            best = lower(best, new Day(cost, "limits.rate.calls-per-minute: " + rateCalls + " × " + RATE_MINUTES_PER_DAY
                    + " calls × " + Micros.usd(perCall) + " × " + sends + " = " + Micros.usd(cost)));
        }
        if (rateTokens > 0 && rateApplies) {
            long tokens = Micros.times(rateTokens, RATE_MINUTES_PER_DAY);
            long cost = Micros.times(Math.max(price.worstCaseMicros(tokens, 0), price.worstCaseMicros(0, tokens)), sends);
            best = lower(best, new Day(cost, "limits.rate.tokens-per-minute: " + rateTokens + " × " + RATE_MINUTES_PER_DAY
                    + " tokens at the dearer price × " + sends + " = " + Micros.usd(cost)));
        }
        if (burnPerMinute > 0) {
            long cost = Micros.times(burnPerMinute, MINUTES_PER_DAY);
            best = lower(best, new Day(cost, "limits.burn-rate.usd-per-minute: " + Micros.usd(burnPerMinute) + " × "
                    + MINUTES_PER_DAY + " = " + Micros.usd(cost)));
        }
        return best;
    }

    private static Day lower(Day a, Day b) {
        return Micros.above(a.micros, b.micros) ? b : a;
    }

    /** The most a run's tokens can cost under {@code limits.task.max-tokens}: the dearer side filled first. */
    private long tokenCapCost(ModelPrice price, long output) {
        long maxIn = calls == Micros.UNCAPPED ? runTokens : Micros.times(calls, inputTokens);
        long maxOut = calls == Micros.UNCAPPED ? runTokens : Micros.times(calls, output);
        boolean outputDearer = price.outputPerMTok() >= Math.max(price.inputPerMTok(), price.cacheWritePerMTok());
        long first = Math.min(runTokens, outputDearer ? maxOut : maxIn);
        long second = Math.min(runTokens - first, outputDearer ? maxIn : maxOut);
        return outputDearer ? price.worstCaseMicros(second, first) : price.worstCaseMicros(first, second);
    }

    /** Whether the budget counts as a cap: under the global {@code mode=shadow} every figure is "as if enforcing" (and warned). */
    private boolean enforces(BudgetDay budget) {
        return shadowMode || budget.enforces();
    }

    private void compare(ModelSubject subject, BudgetDay budget, ModelPrice price, long perCall, long limitsRun, long oneRun) {
        BudgetConfig configured = budget.budget();
        long limit = configured.limitMicros();
        String per = partitionWord(configured.per());
        line("    " + configured.name() + "  " + Micros.usd(limit) + (configured.window().equals("total") ? " in total" : " per " + configured.window())
                + (budget.isGlobal() ? "" : ", one account per " + per) + (enforces(budget) ? "" : "  [shadow: refuses nothing; as if it enforced]"));
        String binds = enforces(budget) ? "binds" : "would bind";
        if (budget.isPerRun()) {
            line("      caps one run at " + Micros.usd(limit) + (Micros.above(limitsRun, limit)
                    ? ": the budget " + binds + " (the limits alone allow " + Micros.usd(limitsRun) + ")"
                    : ": the limits stop a run first, at " + Micros.usd(limitsRun)));
        } else if (budget.isDaily()) {
            boolean over = Micros.overTenPercent(oneRun, budget.dailyShare());
            line("      a day's share " + Micros.usd(budget.dailyShare())
                    + (budget.window().kind() == BudgetWindow.Kind.DAY ? "" : " (" + budget.shareHow() + ")")
                    + "; one run = " + Micros.percent(oneRun, budget.dailyShare()) + " of it, " + (over ? "OVER 10%" : "within 10%"));
            if (over) {
                warnings.add("one run of " + subjectName(subject) + " can spend " + Micros.usd(oneRun) + ", over 10% of the "
                        + Micros.usd(budget.dailyShare()) + " a day of budget " + configured.name() + ": lower limits.task.max-calls,"
                        + " set limits.max-output-tokens or add a per=task budget");
            }
            Day limits = perDay(price, perCall, configured.per());
            line("      per day" + (budget.isGlobal() ? "" : " and " + per) + ": the limits allow " + Micros.usd(limits.micros)
                    + ", the budget " + Micros.usd(budget.mostPerDay()) + " → "
                    + (Micros.above(limits.micros, budget.mostPerDay()) ? "the budget " + binds : "the limits bind"));
        } else if (Micros.above(oneRun, limit)) {
            line("      one run alone can exceed it (" + Micros.usd(oneRun) + "): the budget " + binds + ", at " + Micros.usd(limit)
                    + (budget.isGlobal() ? " for all it counts, ever" : " per " + per + ", ever"));
        } else {
            line("      one run = " + Micros.percent(oneRun, limit) + " of it, ever");
        }
    }

    private static String subjectName(ModelSubject subject) {
        if (subject.model() != null) {
            return subject.model();
        }
        return subject.glob() == null ? "an unpriced model" : "an unpriced model matching " + subject.glob();
    }

    private static String partitionWord(String per) {
        return switch (per) {
            case "task" -> "run";
            case "api-key" -> "API key";
            default -> per;
        };
    }

    /** The paths without a cap, and what the configuration leaves to assumption. */
    private void globalWarnings() {
        if (shadowMode) {
            warnings.add("mode=shadow: no budget or limit refuses a call; every figure here is what enforcing would allow");
        }
        for (BudgetDay budget : budgets) {
            if (budget.budget().shadow() && !shadowMode) {
                warnings.add("budget " + budget.budget().name() + " is in shadow mode (budget." + budget.budget().name()
                        + ".mode=shadow): it refuses nothing");
            }
        }
        boolean perRunBudget = budgets.stream().anyMatch(b -> b.isPerRun() && b.budget().matchModel() == null && enforces(b));
        if (calls == Micros.UNCAPPED && runTokens == Micros.UNCAPPED && !perRunBudget) {
            warnings.add("no run cap: limits.task.max-calls and limits.task.max-tokens unset and no per=task budget: one run may"
                    + " make calls until a budget refuses one (most agent stacks never set max-iterations)");
        } else if (config.text(ConfigKeys.TASK_ENTRY_POINTS) == null) {
            warnings.add("limits.task.* and per=task budgets count calls inside a run, and task.entry-points is unset: only"
                    + " LangChain4j AI-service invocations are runs, every other call has no run cap");
        }
        if (ceiling == 0) {
            warnings.add("no output ceiling (limits.max-output-tokens unset): a request may ask for the model's whole output"
                    + " maximum; O above is that, or the " + config.defaultMaxOutputTokens()
                    + " tokens of limits.default-max-output-tokens where the price table has no maximum");
        }
        if (fallback != null) {
            long perCall = perCall(fallback);
            warnings.add("pricing.unknown-model=fallback: a model missing from the price table (a typo, a new model) is sent and"
                    + " priced at " + Micros.perMTok(fallback.inputPerMTok()) + " input, " + Micros.perMTok(fallback.outputPerMTok())
                    + " output: at most " + Micros.usd(perCall) + " a call here (" + inputTokens + " in, " + outputTokens(fallback)
                    + " out), whatever the model really costs");
        }
        if (budgets.isEmpty()) {
            warnings.add("no budget: spend is priced and recorded but never refused");
        } else if (budgets.stream().noneMatch(b -> b.isGlobal() && b.budget().matchModel() == null && enforces(b))) {
            List<String> why = new ArrayList<>();
            for (BudgetDay budget : budgets) {
                BudgetConfig configured = budget.budget();
                why.add(configured.name() + (!enforces(budget) ? " refuses nothing (shadow)"
                        : !budget.isGlobal() ? " has one account per " + partitionWord(configured.per())
                        : " counts only match.model=" + configured.matchModel()));
            }
            warnings.add("no budget caps all spend (an enforcing per=global budget without match.model): " + String.join(", ", why));
        }
        if (config.count(ConfigKeys.RETRY_MAX_ATTEMPTS) == 0) {
            warnings.add("no retry cap (limits.retry.max-attempts unset): a failing request may be sent again and again; R above"
                    + " assumes " + ASSUMED_SENDS + " sends, the SDKs' default, which the application can raise");
        }
        if (concurrency == 0) {
            warnings.add("no concurrency cap (limits.concurrency.max unset): any number of runs may spend at once (N)");
        } else if (concurrencyPer.equals("task")) {
            warnings.add("limits.concurrency.per=task caps the calls in flight within one run, not how many runs spend at once (N)");
        }
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
