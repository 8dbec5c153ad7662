package dev.llmbudget.agent;

import dev.llmbudget.config.AgentConfig;
import dev.llmbudget.config.BudgetConfig;
import dev.llmbudget.config.ConfigKeys;
import dev.llmbudget.config.ConfigLoader;
import dev.llmbudget.config.ConfigProblem;
import dev.llmbudget.config.LoadedConfig;
import dev.llmbudget.config.Setting;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallGate;
import dev.llmbudget.core.CallRecorder;
import dev.llmbudget.core.Guard;
import dev.llmbudget.core.GuardSettings;
import dev.llmbudget.core.MisconfiguredGate;
import dev.llmbudget.core.OutputCeiling;
import dev.llmbudget.core.Partition;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.UnknownModelPolicy;
import dev.llmbudget.core.limits.LimitSettings;
import dev.llmbudget.instrument.Enforcement;
import dev.llmbudget.instrument.context.EntryPoint;
import dev.llmbudget.instrument.context.ThreadScope;
import dev.llmbudget.ops.killswitch.KillSwitches;
import dev.llmbudget.ops.jmx.AgentStatus;
import dev.llmbudget.wire.ProviderHosts;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.ops.ledger.JsonlLedger;
import dev.llmbudget.pricing.Money;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceFileReader;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.store.StoreException;
import dev.llmbudget.tokens.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import java.time.Instant;
import dev.llmbudget.core.AlertSink;
import dev.llmbudget.core.HaltSwitch;

/**
 * The running agent, wired from the configuration: the gate every interception point asks, and what
 * it writes to. With an invalid configuration the gate refuses every call (see {@link MisconfiguredGate}).
 */
public final class AgentRuntime {
    static final String BUILTIN_PRICES = "/dev/llmbudget/pricing/builtin-prices.json";

    private final CallGate gate;
    private final JsonlLedger ledger;
    private final SpendStore store;
    /** The gate whose guard a reload replaces; null when the configuration was broken at startup. */
    private final LiveGate live;
    private volatile LoadedConfig config;
    private volatile HaltSwitch halts = HaltSwitch.NONE;
    private volatile Reload lastReload;
    private ConfigWatcher watcher;
    private Operations operations;
    /** Reads the configuration again as at startup (the same file and overrides); null for a runtime built in tests. */
    private volatile Supplier<LoadedConfig> reader;

    private AgentRuntime(LoadedConfig config, CallGate gate, JsonlLedger ledger, SpendStore store) {
        this.config = config;
        this.gate = gate;
        this.live = gate instanceof LiveGate liveGate ? liveGate : null;
        this.ledger = ledger;
        this.store = store;
    }

    /**
     * The outcome of the last reload.
     *
     * @param time when the file was read
     * @param applied whether it was applied (else rejected, the configuration before it in force)
     * @param summary what changed, or the first problem
     */
    public record Reload(Instant time, boolean applied, String summary) {
        @Override
        public String toString() {
            return (applied ? "applied: " : "rejected: ") + summary;
        }
    }

    /**
     * Reads and checks the configuration as the agent does at startup and installs the gate. A broken
     * configuration is reported here, before {@code main}; a valid one is wired (price table, tokenizer,
     * ledger) on a background thread, off the JVM's start path.
     */
    static AgentRuntime start(String agentArgs) {
        Map<String, String> sysprops = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            sysprops.put(name, System.getProperty(name));
        }
        LoadedConfig loaded = ConfigLoader.load(agentArgs, sysprops, System.getenv(), Path.of("").toAbsolutePath());
        // no lambda before main: a class keeps the java.lang.invoke bootstrap off the JVM's start path
        if (!loaded.isValid()) {
            AgentRuntime runtime = misconfigured(loaded);
            Enforcement.install(runtime.gate, false, ProviderHosts.defaults());
            return runtime;
        }
        Path workingDir = Path.of("").toAbsolutePath();
        Supplier<LoadedConfig> reader = () -> ConfigLoader.load(agentArgs, sysprops, System.getenv(), workingDir);
        CallGate gate = DeferredGate.start(new FutureTask<>(new Wiring(loaded, reader)));
        Enforcement.install(gate, "block".equals(loaded.config().onInternalError()), loaded.config().providerHosts());
        return new AgentRuntime(loaded, gate, null, null);
    }

    /** Builds the guard; a class, not a lambda, so no {@code java.lang.invoke} bootstrap runs at start. */
    private static final class Wiring implements Callable<CallGate> {
        private final LoadedConfig loaded;
        private final Supplier<LoadedConfig> reader;

        Wiring(LoadedConfig loaded, Supplier<LoadedConfig> reader) {
            this.loaded = loaded;
            this.reader = reader;
        }

        @Override
        public CallGate call() {
            AgentRuntime runtime = wire(loaded);
            runtime.watchFile(reader);
            Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "llm-budget-agent-shutdown"));
            return runtime.gate;
        }
    }

    /** With {@code config.reload} (the default) and a configuration file, applies its edits as they are saved. */
    void watchFile(Supplier<LoadedConfig> reader) {
        this.reader = reader;
        LoadedConfig running = config;
        if (live == null || running.file() == null || !Boolean.parseBoolean(running.config().text(ConfigKeys.CONFIG_RELOAD))) {
            return;
        }
        watcher = new ConfigWatcher(running.file(), running.config().duration(ConfigKeys.CONFIG_RELOAD_INTERVAL),
                () -> reload(reader.get())).start();
    }

    /**
     * Applies a configuration read again while the agent runs, or rejects it whole: any problem (as startup
     * would find it, the price file included) keeps the running configuration, and says so at ERROR. Spend is
     * in the store, which a reload keeps, so nothing spent or held is lost.
     */
    public synchronized Reload reload(LoadedConfig reread) {
        Instant now = Instant.now();
        if (live == null) {
            return remember(new Reload(now, false, "the configuration was broken at startup; restart the JVM to apply a fixed one"));
        }
        LoadedConfig running = config;
        List<ConfigProblem> problems = new ArrayList<>();
        PriceTable prices = reread.isValid() ? prices(reread.config(), reread, problems) : null;
        LoadedConfig checked = reread.withProblems(problems);
        if (!checked.isValid()) {
            AgentLog.block(AgentLog.Level.ERROR, checked.rejectedEditReport("the configuration "
                    + (lastReload != null && lastReload.applied() ? "applied at " + lastReload.time() : "loaded at startup")));
            ConfigProblem first = checked.problems().get(0);
            return remember(new Reload(now, false, checked.problems().size() + " problem(s), first: " + first.key() + ": " + first.message()));
        }
        AgentConfig next = checked.config();
        AgentLog.setThreshold(AgentLog.Level.valueOf(next.logLevel().toUpperCase(Locale.ROOT)));
        GuardSettings settings = guardSettings(next);
        halts = KillSwitches.reconfigured(next, halts);
        AlertSink alerts = operations == null ? AlertSink.NONE : operations.alerts();
        live.replace(live.guard().reconfigured(settings, prices,
                new TokenCounter(next.exactCountMaxChars(), next.exactCountMaxWordChars()), halts, alerts));
        if (operations != null) {
            operations.reloaded(next, settings.budgets(), halts);
        }
        CallGate installed = Enforcement.gate();
        if (installed != null) {
            Enforcement.install(installed, "block".equals(next.onInternalError()), next.providerHosts());
        }
        config = checked;
        String changes = ConfigChanges.describe(running.settings(), checked.settings());
        AgentLog.info("configuration reloaded from " + checked.file() + ": " + changes);
        ConfigChanges.warnAboutRestartOnly(running.settings(), checked.settings());
        return remember(new Reload(now, true, changes));
    }

    /** The running agent as its control MBean shows it; {@code reload()} reads the file at once. */
    private static final class Status implements AgentStatus {
        volatile AgentRuntime runtime;

        @Override
        public String mode() {
            return runtime.config.config().choice(ConfigKeys.MODE);
        }

        @Override
        public String configFile() {
            Path file = runtime.config.file();
            return file == null ? null : file.toString();
        }

        @Override
        public Instant lastReload() {
            Reload last = runtime.lastReload;
            return last == null ? null : last.time();
        }

        @Override
        public String lastReloadResult() {
            Reload last = runtime.lastReload;
            return last == null ? null : last.toString();
        }

        @Override
        public String reload() {
            Supplier<LoadedConfig> reader = runtime.reader;
            return reader == null ? "not available: this agent was not started from a configuration file it can read again"
                    : runtime.reload(reader.get()).toString();
        }

        @Override
        public HaltSwitch halts() {
            return runtime.halts;
        }
    }

    private Reload remember(Reload reload) {
        lastReload = reload;
        return reload;
    }

    /** The last reload's outcome, or null before the first. */
    public Reload lastReload() {
        return lastReload;
    }

    /**
     * The libraries to instrument. With a broken configuration every one is, so that its calls are
     * refused rather than let through; a library switched off is said so once at startup.
     */
    Set<String> enabledInstrumentations() {
        Set<String> enabled = new TreeSet<>(InstrumentedTypes.TYPES_BY_LIBRARY.keySet());
        if (config.isValid()) {
            for (String library : InstrumentedTypes.TYPES_BY_LIBRARY.keySet()) {
                if (!config.config().instrumentationEnabled(library)) {
                    enabled.remove(library);
                    AgentLog.warn("instrumentation." + library + ".enabled=false: calls through " + library
                            + " are NOT guarded");
                }
            }
        }
        return Set.copyOf(enabled);
    }

    /** {@code task.entry-points}: the methods each invocation of which opens a run (none with a broken configuration). */
    List<EntryPoint> entryPoints() {
        if (!config.isValid()) {
            return List.of();
        }
        return EntryPoint.parseAll(config.config().text(ConfigKeys.TASK_ENTRY_POINTS));
    }

    public LoadedConfig config() {
        return config;
    }

    public CallGate gate() {
        return gate;
    }

    static AgentRuntime wire(LoadedConfig loaded) {
        if (!loaded.isValid()) {
            return misconfigured(loaded);
        }
        AgentConfig config = loaded.config();
        AgentLog.setThreshold(AgentLog.Level.valueOf(config.logLevel().toUpperCase(Locale.ROOT)));
        List<ConfigProblem> problems = new ArrayList<>();
        PriceTable prices = prices(config, loaded, problems);
        JsonlLedger ledger = openLedger(config, loaded, problems);
        SpendStore store = problems.isEmpty() ? openStore(config, loaded, problems) : null;
        if (!problems.isEmpty()) {
            if (ledger != null) {
                ledger.close();
            }
            return misconfigured(loaded.withProblems(problems));
        }
        GuardSettings settings = guardSettings(config);
        TokenCounter tokens = new TokenCounter(config.exactCountMaxChars(), config.exactCountMaxWordChars());
        HaltSwitch halts = KillSwitches.build(config);
        Clock clock = Clock.systemUTC();
        Status status = new Status();
        Operations operations = new Operations(config, settings.budgets(), halts, store, clock, status);
        List<CallRecorder> recorders = new ArrayList<>();
        recorders.add(ledger);
        recorders.addAll(operations.recorders());
        Guard guard = new Guard(settings, prices, tokens, store, clock, CallRecorder.all(recorders),
                new ThreadScope(config.text(ConfigKeys.TENANT_MDC_KEY)), halts, operations.alerts());
        AgentLog.info(summary(loaded, settings, prices, ledger, store));
        AgentRuntime runtime = new AgentRuntime(loaded, new LiveGate(guard), ledger, store);
        runtime.halts = halts;
        runtime.operations = operations;
        status.runtime = runtime;
        return runtime;
    }

    /** Writes out and lets go of the ledger and the store (at JVM exit). */
    void close() {
        if (watcher != null) {
            watcher.stop();
        }
        if (operations != null) {
            operations.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /**
     * A store that cannot be opened (a journal another JVM holds, an unwritable path the user set, a
     * malformed Redis URL) refuses every call, as a broken configuration does. Only the default journal in
     * an unwritable working directory (a read-only container file system) falls back, loudly, to memory:
     * still enforced, not durable, as the default ledger there is switched off rather than blocking calls.
     */
    private static SpendStore openStore(AgentConfig config, LoadedConfig loaded, List<ConfigProblem> problems) {
        try {
            return SpendStores.open(config.store());
        } catch (StoreException e) {
            boolean defaultJournal = config.store().kind().equals("journal")
                    && !loaded.settings().containsKey(ConfigKeys.STORE_JOURNAL_PATH.name());
            if (defaultJournal && e.getCause() instanceof IOException) {
                AgentLog.warn(e.getMessage() + "; spend is kept in memory only and is lost on restart."
                        + " Set store.journal.path to a writable file to keep it.");
                return new MemoryStore();
            }
            String key = config.store().kind().equals("redis") ? ConfigKeys.STORE_REDIS_URL.name() : ConfigKeys.STORE_JOURNAL_PATH.name();
            Setting setting = loaded.settings().get(key);
            problems.add(new ConfigProblem(key, setting == null ? null : setting.value(), setting == null ? null : setting.origin(),
                    e.getMessage()));
            return null;
        }
    }

    /**
     * The configuration with every problem the agent would find at startup, including those only
     * found by reading the price file, without starting anything (the CLI's {@code check-config}).
     */
    public static LoadedConfig check(LoadedConfig loaded) {
        if (!loaded.isValid()) {
            return loaded;
        }
        List<ConfigProblem> problems = new ArrayList<>();
        prices(loaded.config(), loaded, problems);
        return loaded.withProblems(problems);
    }

    /** The price table the agent would price calls with: built-in, then {@code prices.file} (the CLI's {@code audit}). */
    public static PriceTable priceTable(LoadedConfig checked) {
        return prices(checked.config(), checked, new ArrayList<>());
    }

    private static AgentRuntime misconfigured(LoadedConfig loaded) {
        String report = loaded.report();
        AgentLog.block(AgentLog.Level.ERROR, report);
        return new AgentRuntime(loaded, new MisconfiguredGate(report), null, null);
    }

    private static PriceTable prices(AgentConfig config, LoadedConfig loaded, List<ConfigProblem> problems) {
        PriceTable table;
        try (InputStream builtin = AgentRuntime.class.getResourceAsStream(BUILTIN_PRICES)) {
            if (builtin == null) {
                throw new IOException("resource " + BUILTIN_PRICES + " is missing from the agent jar");
            }
            table = new PriceTable(PriceFileReader.read(builtin));
        } catch (IOException e) {
            throw new IllegalStateException("the built-in price table cannot be read", e);
        }
        if (config.pricesFile() == null) {
            return table;
        }
        try (InputStream in = Files.newInputStream(config.pricesFile())) {
            return table.overriddenBy(PriceFileReader.read(in));
        } catch (IOException | RuntimeException e) {
            Setting setting = loaded.settings().get(ConfigKeys.PRICES_FILE.name());
            problems.add(new ConfigProblem(setting.key(), setting.value(), setting.origin(),
                    "cannot read the price file " + config.pricesFile() + " (LiteLLM model_prices_and_context_window.json format expected): "
                            + e.getMessage()));
            return table;
        }
    }

    /**
     * An unwritable ledger the user asked for is a configuration problem; the default one, unwritable
     * (a read-only working directory), only switches the ledger off with a warning.
     */
    private static JsonlLedger openLedger(AgentConfig config, LoadedConfig loaded, List<ConfigProblem> problems) {
        if (!config.ledgerEnabled()) {
            return null;
        }
        try {
            return JsonlLedger.open(config.ledgerPath());
        } catch (IOException | RuntimeException e) {
            Setting setting = loaded.settings().get(ConfigKeys.LEDGER_PATH.name());
            if (setting != null) {
                problems.add(new ConfigProblem(setting.key(), setting.value(), setting.origin(),
                        "cannot open the ledger for writing: " + e));
            } else {
                AgentLog.warn("cannot open the default ledger " + config.ledgerPath() + " (" + e
                        + "); calls are guarded but not recorded. Set ledger.path to a writable file, or ledger.enabled=false.");
            }
            return null;
        }
    }

    private static GuardSettings guardSettings(AgentConfig config) {
        List<BudgetSpec> budgets = new ArrayList<>();
        for (BudgetConfig budget : config.budgets()) {
            BudgetWindow window = BudgetWindow.parse(budget.window(), budget.zone());
            ModelGlob models = budget.matchModel() == null ? ModelGlob.ANY : ModelGlob.parse(budget.matchModel());
            budgets.add(new BudgetSpec(budget.name(), budget.limitMicros(), window, models, Partition.parse(budget.per()),
                    budget.shadow()));
        }
        UnknownModelPolicy unknown = UnknownModelPolicy.valueOf(config.unknownModel().toUpperCase(Locale.ROOT));
        ModelPrice fallback = unknown == UnknownModelPolicy.FALLBACK
                ? new ModelPrice("fallback", config.fallbackInputPerMTok(), config.fallbackInputPerMTok(),
                        config.fallbackInputPerMTok(), config.fallbackOutputPerMTok(), 0)
                : null;
        OutputCeiling ceiling = new OutputCeiling(config.maxOutputTokens(), config.refuseOverMaxOutputTokens());
        return new GuardSettings(budgets, config.defaultMaxOutputTokens(), unknown, fallback, ceiling, limitSettings(config),
                config.choice(ConfigKeys.MODE).equals("shadow"));
    }

    private static LimitSettings limitSettings(AgentConfig config) {
        return new LimitSettings(config.count(ConfigKeys.TASK_MAX_CALLS), config.count(ConfigKeys.TASK_MAX_TOKENS),
                config.count(ConfigKeys.RETRY_MAX_ATTEMPTS), config.duration(ConfigKeys.RETRY_WINDOW),
                config.count(ConfigKeys.CIRCUIT_FAILURES), config.duration(ConfigKeys.CIRCUIT_WINDOW),
                config.duration(ConfigKeys.CIRCUIT_OPEN_FOR),
                config.count(ConfigKeys.LOOP_IDENTICAL), config.count(ConfigKeys.LOOP_PING_PONG), config.duration(ConfigKeys.LOOP_WINDOW),
                config.count(ConfigKeys.RATE_CALLS), config.count(ConfigKeys.RATE_TOKENS),
                Partition.parse(config.choice(ConfigKeys.RATE_PER)), config.choice(ConfigKeys.RATE_ACTION).equals("wait"),
                config.duration(ConfigKeys.RATE_MAX_WAIT),
                config.count(ConfigKeys.CONCURRENCY_MAX), Partition.parse(config.choice(ConfigKeys.CONCURRENCY_PER)),
                config.choice(ConfigKeys.CONCURRENCY_ACTION).equals("wait"), config.duration(ConfigKeys.CONCURRENCY_MAX_WAIT),
                config.micros(ConfigKeys.BURN_RATE));
    }

    private static String summary(LoadedConfig loaded, GuardSettings settings, PriceTable prices, JsonlLedger ledger,
                                  SpendStore store) {
        StringBuilder line = new StringBuilder("llm-budget-agent is guarding LLM calls; configuration: ")
                .append(loaded.file() == null ? "none found (defaults and overrides only)" : loaded.file())
                .append("; budgets: ");
        if (settings.budgets().isEmpty()) {
            line.append("none (calls are priced and recorded, but not limited)");
        }
        for (int i = 0; i < settings.budgets().size(); i++) {
            BudgetSpec budget = settings.budgets().get(i);
            line.append(i == 0 ? "" : ", ").append(budget.name()).append(' ').append(Money.format(budget.limitMicros()))
                    .append(' ').append(budget.window());
            if (budget.per() != Partition.GLOBAL) {
                line.append(" per ").append(budget.per().configName());
            }
            if (budget.shadow() && !settings.shadow()) {
                line.append(" (shadow)");
            }
        }
        if (settings.shadow()) {
            line.append("; MODE SHADOW: nothing is refused but by a kill switch, would-be refusals are logged and"
                    + " written to the ledger as would-refuse");
        }
        String limits = LimitsSummary.of(settings.limits());
        if (!limits.isEmpty()) {
            line.append("; limits: ").append(limits);
        }
        line.append("; spend kept in ").append(store.describe());
        line.append("; ").append(prices.size()).append(" priced models; ledger: ")
                .append(ledger == null ? "off" : ledger.path());
        return line.toString();
    }
}
