package dev.llmbudget.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every configuration key the agent reads, declared once. */
public final class ConfigKeys {
    public static final ConfigKey STORE = key("store", ValueType.CHOICE, List.of("journal", "redis", "memory"), "journal",
            "Where spend is kept. `journal`: a local file (`store.journal.path`) that survives restarts and `kill -9`; one JVM per file. `redis`: one Redis shared by every JVM drawing on the same budgets. `memory`: in this JVM only, lost on restart.");
    public static final ConfigKey STORE_JOURNAL_PATH = key("store.journal.path", ValueType.PATH, List.of(), "./llm-budget.journal",
            "The journal file (append-only; compacted as windows end). A second JVM opening the same file is refused with a clear message; give each JVM its own, or use `store=redis`. Also where `store=redis` keeps spend granted during an outage under `store.redis.on-unavailable=local`.");
    public static final ConfigKey STORE_JOURNAL_FSYNC = key("store.journal.fsync-interval", ValueType.DURATION, List.of(), "100ms",
            "Every reservation and settlement is written to the file before the call goes on (nothing is lost when the JVM is killed); forcing it to disk, against a machine crash, is batched within this interval. `0` forces at every settlement.");
    public static final ConfigKey STORE_RESERVATION_TIMEOUT = key("store.reservation-timeout", ValueType.DURATION, List.of(), "15m",
            "A reservation a shared store has not seen settled after this long (its JVM died mid-call) is charged in full. Keep it above the longest provider timeout (the OpenAI and Anthropic SDKs default to 10 minutes).");
    public static final ConfigKey STORE_REDIS_URL = key("store.redis.url", ValueType.REDIS_URL, List.of(), "redis://127.0.0.1:6379",
            "The Redis of `store=redis`; a password and TLS (`rediss://`) go in the URL. Never logged with its password. Standalone or primary only (not Redis Cluster).");
    public static final ConfigKey STORE_REDIS_KEY_PREFIX = key("store.redis.key-prefix", ValueType.TEXT, List.of(), "llm-budget:",
            "Prefix of every Redis key the agent writes. JVMs that share budgets share the prefix.");
    public static final ConfigKey STORE_REDIS_TIMEOUT = key("store.redis.timeout", ValueType.DURATION, List.of(), "500ms",
            "The longest a call waits on Redis (connect, answer, a free connection); past it Redis counts as unavailable.");
    public static final ConfigKey STORE_REDIS_ON_UNAVAILABLE = key("store.redis.on-unavailable", ValueType.CHOICE, List.of("refuse", "local"), "refuse",
            "When Redis cannot be reached: `refuse` sends no call whose spend cannot be checked; `local` grants calls from a bounded local slice per budget (`store.redis.local-slice-usd`, kept in `store.journal.path`) and adds that spend to Redis, exactly once, when it is back.");
    public static final ConfigKey STORE_REDIS_LOCAL_SLICE = key("store.redis.local-slice-usd", ValueType.USD, List.of(), "1.00",
            "Under `store.redis.on-unavailable=local`: the most this JVM may spend per budget account and window while Redis is away.");
    public static final ConfigKey KILLSWITCH_REDIS_KEY = key("killswitch.redis-key", ValueType.TEXT, List.of(), null,
            "With `store=redis`: while this Redis key (as written, no prefix added) exists every LLM call in every JVM is refused (`AgentHaltedException`), its value given as the reason. `SET <key> \"reason\"` halts, `DEL <key>` resumes.");
    public static final ConfigKey LEDGER_ENABLED = key("ledger.enabled", ValueType.BOOLEAN, List.of(), "true",
            "Write one JSON line per guarded call to `ledger.path`.");
    public static final ConfigKey LEDGER_PATH = key("ledger.path", ValueType.PATH, List.of(), "./llm-budget-ledger.jsonl",
            "The ledger file (JSON lines, appended); the default is in the working directory. No prompt or response text, API keys only as fingerprints.");
    public static final ConfigKey PRICES_FILE = key("prices.file", ValueType.PATH, List.of(), null,
            "A price file in LiteLLM's `model_prices_and_context_window.json` format; its models override or extend the built-in table.");
    public static final ConfigKey UNKNOWN_MODEL = key("pricing.unknown-model", ValueType.CHOICE, List.of("block", "fallback"), "block",
            "A model with no price: `block` refuses the call, `fallback` prices it at the fallback prices. Never free.");
    public static final ConfigKey FALLBACK_INPUT = key("pricing.fallback.input-usd-per-mtok", ValueType.USD_PER_MTOK, List.of(), null,
            "Input price of unknown models under `pricing.unknown-model=fallback`, USD per million tokens. Required then.");
    public static final ConfigKey FALLBACK_OUTPUT = key("pricing.fallback.output-usd-per-mtok", ValueType.USD_PER_MTOK, List.of(), null,
            "Output price of unknown models under `pricing.unknown-model=fallback`, USD per million tokens. Required then.");
    public static final ConfigKey DEFAULT_MAX_OUTPUT = key("limits.default-max-output-tokens", ValueType.COUNT, List.of(), "4096",
            "The output tokens the worst-case estimate assumes when a request sets no maximum.");
    public static final ConfigKey MAX_OUTPUT = key("limits.max-output-tokens", ValueType.COUNT, List.of(), null,
            "Optional ceiling on the output one call may ask for. A request asking for more, or setting no maximum, is rewritten to it (or refused, see the next key); the ledger notes the rewrite.");
    public static final ConfigKey MAX_OUTPUT_ACTION = key("limits.max-output-tokens.action", ValueType.CHOICE, List.of("clamp", "refuse"), "clamp",
            "Past `limits.max-output-tokens`: `clamp` rewrites the request's maximum to the ceiling, `refuse` refuses the call.");
    public static final ConfigKey EXACT_COUNT_MAX_CHARS = key("tokens.exact-count.max-chars", ValueType.COUNT, List.of(), "2000000",
            "Prompts longer than this (total characters) are not tokenized: their input is bounded by their UTF-8 byte length instead (never under-estimates; the ledger says `BYTE_BOUND_LARGE_INPUT`).");
    public static final ConfigKey EXACT_COUNT_MAX_WORD_CHARS = key("tokens.exact-count.max-word-chars", ValueType.COUNT, List.of(), "2000",
            "A text of the prompt holding a run of more than this many characters without whitespace (or of whitespace only) is bounded by its byte length instead of tokenized, the rest stays exact (BPE on one huge 'word' is slow; the ledger says `BYTE_BOUND_LONG_WORD`).");
    public static final ConfigKey ON_INTERNAL_ERROR = key("on-internal-error", ValueType.CHOICE, List.of("allow", "block"), "allow",
            "If the agent fails internally while guarding a call: `allow` lets it through (ledger: `unguarded`), `block` refuses it.");
    public static final ConfigKey OPENAI_SDK_ENABLED = key("instrumentation.openai-sdk.enabled", ValueType.BOOLEAN, List.of(), "true",
            "Guard calls made through the OpenAI Java SDK (`com.openai:openai-java`). `false` leaves that library untouched.");
    public static final ConfigKey ANTHROPIC_SDK_ENABLED = key("instrumentation.anthropic-sdk.enabled", ValueType.BOOLEAN, List.of(), "true",
            "Guard calls made through the Anthropic Java SDK (`com.anthropic:anthropic-java`). `false` leaves that library untouched.");
    public static final ConfigKey LANGCHAIN4J_ENABLED = key("instrumentation.langchain4j.enabled", ValueType.BOOLEAN, List.of(), "true",
            "Guard every LangChain4j 1.x `ChatModel` and `StreamingChatModel` call (any provider module), above LangChain4j's retries. `false` leaves that library untouched.");
    public static final ConfigKey JDK_HTTP_CLIENT_ENABLED = key("instrumentation.jdk-http-client.enabled", ValueType.BOOLEAN, List.of(), "true",
            "Guard calls made with the JDK's `java.net.http.HttpClient` (`send`, `sendAsync`) to the hosts of `providers.hosts`. `false` leaves it untouched.");
    public static final ConfigKey OKHTTP_ENABLED = key("instrumentation.okhttp.enabled", ValueType.BOOLEAN, List.of(), "true",
            "Guard calls made with OkHttp 4 or 5 (`com.squareup.okhttp3`) to the hosts of `providers.hosts`; calls the OpenAI or Anthropic SDK makes through it stay guarded once, by the SDK's layer. `false` leaves it untouched.");
    public static final ConfigKey PROVIDER_HOSTS = key("providers.hosts", ValueType.HOSTS, List.of(), null,
            "More hosts whose raw HTTP calls (JDK `HttpClient`, OkHttp) are LLM API calls to guard, e.g. a self-hosted gateway `llm-gateway.internal:8443`. The endpoint is recognised by its path (OpenAI-compatible, Anthropic, Gemini).");
    public static final ConfigKey PROVIDER_HOSTS_DEFAULTS = key("providers.hosts.include-defaults", ValueType.BOOLEAN, List.of(), "true",
            "Also guard the public LLM APIs: " + String.join(", ", dev.llmbudget.wire.ProviderHosts.DEFAULTS).replace("*", "\\*") + ". `false` guards only `providers.hosts`.");
    public static final ConfigKey LOG_LEVEL = key("log.level", ValueType.CHOICE, List.of("error", "warn", "info", "debug"), "info",
            "How much the agent writes to stderr.");

    public static final ConfigKey TASK_ENTRY_POINTS = key("task.entry-points", ValueType.ENTRY_POINTS, List.of(), null,
            "Methods that each begin a run (task), e.g. `com.acme.Pipeline#run,com.acme.Agent#step(java.lang.String)`: every call made inside one invocation (nested invocations belong to the outer run, work handed to executors, `CompletableFuture` async stages and new or virtual threads follows it) counts toward that run's limits and `per=task` budgets. Each LangChain4j AI-service method invocation is a run without configuration.");
    public static final ConfigKey TENANT_MDC_KEY = key("tenant.mdc-key", ValueType.TEXT, List.of(), null,
            "The SLF4J or Log4j 2 MDC key naming the tenant a call is made for (read on the calling thread, the agent depends on neither library). `per=tenant` budgets and limits split by it; a call without one counts as tenant `(none)`.");
    public static final ConfigKey TASK_MAX_CALLS = key("limits.task.max-calls", ValueType.COUNT, List.of(), null,
            "The most LLM calls one run may make (the max-iterations most agent stacks never set); the next is refused with `TaskLimitExceededException`. Calls outside any run are not counted.");
    public static final ConfigKey TASK_MAX_TOKENS = key("limits.task.max-tokens", ValueType.COUNT, List.of(), null,
            "The most tokens (input + output) one run may use; a call whose worst case would take the run past it is refused (`TaskLimitExceededException`).");
    public static final ConfigKey RETRY_MAX_ATTEMPTS = key("limits.retry.max-attempts", ValueType.COUNT, List.of(), null,
            "The most times the same request (same model and messages) may be sent while it keeps failing, SDK-internal retries included; the next attempt is refused (`RetryLimitExceededException`). A success forgets the count.");
    public static final ConfigKey RETRY_WINDOW = key("limits.retry.window", ValueType.DURATION, List.of(), "10m",
            "How long a failed request is remembered for `limits.retry.max-attempts`.");
    public static final ConfigKey CIRCUIT_FAILURES = key("limits.circuit.failures", ValueType.COUNT, List.of(), null,
            "Failed attempts (HTTP 408, 429, 5xx, no response) per provider and model within `limits.circuit.window` that open the circuit: calls are refused (`CircuitOpenException`) for `limits.circuit.open-for`, then one probe call is let through; its success closes the circuit, its failure opens it again.");
    public static final ConfigKey CIRCUIT_WINDOW = key("limits.circuit.window", ValueType.DURATION, List.of(), "1m",
            "The sliding window `limits.circuit.failures` are counted in.");
    public static final ConfigKey CIRCUIT_OPEN_FOR = key("limits.circuit.open-for", ValueType.DURATION, List.of(), "30s",
            "How long an open circuit refuses calls before letting one probe through.");
    public static final ConfigKey LOOP_IDENTICAL = key("limits.loop.identical-requests", ValueType.COUNT, List.of(), null,
            "The Nth identical request (same model and messages) within one run, or within `limits.loop.window` outside runs, is refused (`LoopDetectedException`). At least 2.");
    public static final ConfigKey LOOP_PING_PONG = key("limits.loop.ping-pong", ValueType.COUNT, List.of(), null,
            "Two requests alternating A, B, A, B, ... within a run (or `limits.loop.window`): the request that would complete the Nth repetition of the pair is refused (`LoopDetectedException`). At least 2.");
    public static final ConfigKey LOOP_WINDOW = key("limits.loop.window", ValueType.DURATION, List.of(), "10m",
            "Outside runs, how far back loop detection looks (the last 256 requests at most).");
    public static final ConfigKey RATE_CALLS = key("limits.rate.calls-per-minute", ValueType.COUNT, List.of(), null,
            "The most calls per minute per `limits.rate.per` partition (a token bucket: a burst of up to this many, then refilled evenly).");
    public static final ConfigKey RATE_TOKENS = key("limits.rate.tokens-per-minute", ValueType.COUNT, List.of(), null,
            "The most tokens per minute per partition, each call counted at its worst case (input + output allowance) and the unused part given back when it ends.");
    public static final ConfigKey RATE_PER = key("limits.rate.per", ValueType.CHOICE, List.of("global", "tenant", "task", "api-key", "model"), "global",
            "How the rate limits are split: one bucket for all calls, or one per tenant, run, API key or model.");
    public static final ConfigKey RATE_ACTION = key("limits.rate.action", ValueType.CHOICE, List.of("refuse", "wait"), "refuse",
            "Over the rate: `refuse` (`RateLimitExceededException`), or `wait` on the calling thread until the call fits (paces a loop for you), refused only when that would take longer than `limits.rate.max-wait`.");
    public static final ConfigKey RATE_MAX_WAIT = key("limits.rate.max-wait", ValueType.DURATION, List.of(), "30s",
            "Under `limits.rate.action=wait`, the longest a call is held back.");
    public static final ConfigKey CONCURRENCY_MAX = key("limits.concurrency.max", ValueType.COUNT, List.of(), null,
            "The most calls in flight at once per `limits.concurrency.per` partition; more are refused (`ConcurrencyLimitExceededException`) or queued (`limits.concurrency.action=wait`).");
    public static final ConfigKey CONCURRENCY_PER = key("limits.concurrency.per", ValueType.CHOICE, List.of("global", "tenant", "task", "api-key", "model"), "global",
            "How the concurrency limit is split: one for all calls, or one per tenant, run, API key or model.");
    public static final ConfigKey CONCURRENCY_ACTION = key("limits.concurrency.action", ValueType.CHOICE, List.of("refuse", "wait"), "refuse",
            "At the concurrency limit: `refuse`, or `wait` for a free slot up to `limits.concurrency.max-wait`.");
    public static final ConfigKey CONCURRENCY_MAX_WAIT = key("limits.concurrency.max-wait", ValueType.DURATION, List.of(), "30s",
            "Under `limits.concurrency.action=wait`, the longest a call waits for a slot.");
    public static final ConfigKey BURN_RATE = key("limits.burn-rate.usd-per-minute", ValueType.USD, List.of(), null,
            "The most spend per minute (a rolling minute, kept in the store like a budget, so shared across JVMs with `store=redis`): a loop on a large daily budget is stopped in minutes (`BurnRateExceededException`).");
    public static final ConfigKey KILLSWITCH_FILE = key("killswitch.file", ValueType.PATH, List.of(), null,
            "While this file exists every LLM call is refused (`AgentHaltedException`), its first line given as the reason. Checked before every call: `touch` halts the next call on every thread, `rm` resumes.");
    public static final ConfigKey JMX_ENABLED = key("jmx.enabled", ValueType.BOOLEAN, List.of(), "true",
            "Register the MBean `dev.llmbudget:type=Agent`, whose `halt(reason)` refuses every call until `resume()`.");

    public static final ConfigKey MODE = key("mode", ValueType.CHOICE, List.of("enforce", "shadow"), "enforce",
            "`enforce` refuses what the budgets and limits refuse. `shadow` decides every call the same way but refuses none: a call that would have been refused is sent, and its ledger line says `would-refuse` with the rule (roll-out: see what enforcing would do before it does it). Kill switches halt in both modes.");
    public static final ConfigKey CONFIG_RELOAD = key("config.reload", ValueType.BOOLEAN, List.of(), "true",
            "Watch the configuration file and apply an edit without a restart, within `config.reload.interval`. An edit with any problem is rejected whole (logged as at startup) and the running configuration stays. Spend is kept. The keys that need a restart (`store.*`, `ledger.*`, `instrumentation.*`, `task.entry-points`, `jmx.enabled`, `metrics.*`, `config.reload*`) are said so when changed.");
    public static final ConfigKey CONFIG_RELOAD_INTERVAL = key("config.reload.interval", ValueType.DURATION, List.of(), "2s",
            "How often the configuration file is checked for an edit.");
    public static final ConfigKey ALERTS_WEBHOOK_URL = key("alerts.webhook.url", ValueType.HTTP_URL, List.of(), null,
            "Where each alert (a budget's `alert-at` threshold crossed, a refusal, a circuit opened, a kill switch halting) is POSTed as JSON, from a background thread. The body has Slack's `text` and the fields a generic receiver reads (`budget`, `partition`, `spentUsd`, `limitUsd`, `percent`, `windowEnd`, ...). Never carries an API key.");
    public static final ConfigKey ALERTS_WEBHOOK_TIMEOUT = key("alerts.webhook.timeout", ValueType.DURATION, List.of(), "5s",
            "The longest one webhook POST may take (connect and answer).");
    public static final ConfigKey ALERTS_WEBHOOK_RETRIES = key("alerts.webhook.retries", ValueType.COUNT, List.of(), "3",
            "How many times a POST that failed (no connection, a 5xx or 429 answer) is sent again, with growing pauses; then the alert is dropped with a WARN.");
    public static final ConfigKey ALERTS_WEBHOOK_QUEUE = key("alerts.webhook.queue-size", ValueType.COUNT, List.of(), "1000",
            "Alerts waiting to be POSTed; when full, new alerts are dropped (counted, logged once) rather than slowing LLM calls.");
    public static final ConfigKey ALERTS_REFUSAL_INTERVAL = key("alerts.refusals.min-interval", ValueType.DURATION, List.of(), "5m",
            "A refusal alerts at most once per rule and partition within this interval, so a loop hammering a wall sends one alert, not one per call.");
    public static final ConfigKey METRICS_PORT = key("metrics.prometheus.port", ValueType.PORT, List.of(), null,
            "Serve Prometheus metrics (spend, holds, calls, refusals by rule, tokens by model, decision latency) at `http://<metrics.prometheus.host>:<port>/metrics`. Unset: no metrics endpoint.");
    public static final ConfigKey METRICS_HOST = key("metrics.prometheus.host", ValueType.TEXT, List.of(), "127.0.0.1",
            "The address the metrics endpoint binds; the default keeps it on this machine. `0.0.0.0` exposes it on every interface.");

    public static final ConfigKey BUDGET_LIMIT = key("budget.<name>.limit-usd", ValueType.USD, List.of(), null,
            "The budget's limit in USD. Required for each budget. A call must fit every budget that matches it.");
    public static final ConfigKey BUDGET_WINDOW = key("budget.<name>.window", ValueType.WINDOW, List.of(), "total",
            "When the budget starts again from zero: `total` never; `minute`, `hour`, `day`, `week` (from Monday), `month` at the calendar boundary in `budget.<name>.zone`; `rolling-<duration>` (e.g. `rolling-24h`) counts the spend of the last duration (kept in 60 buckets: spend leaves the window up to one sixtieth late, never early); `run` lasts as long as one run (only with `per=task`).");
    public static final ConfigKey BUDGET_ZONE = key("budget.<name>.zone", ValueType.ZONE, List.of(), "UTC",
            "The time zone of the budget's calendar window.");
    public static final ConfigKey BUDGET_PER = key("budget.<name>.per", ValueType.CHOICE, List.of("global", "tenant", "task", "api-key", "model"), "global",
            "How the budget is split: `global` one account for every call it matches; `tenant` one per tenant (`tenant.mdc-key`); `task` one per run (`task.entry-points`; with `window=run`, the per-task budget); `api-key` one per API key (told apart by fingerprint, never stored in clear); `model` one per model. Each account has the whole limit.");
    public static final ConfigKey BUDGET_MATCH_MODEL = key("budget.<name>.match.model", ValueType.GLOB, List.of(), null,
            "Only calls to models matching these globs count against the budget (`*`, `?`, comma-separated). Unset: all models.");
    public static final ConfigKey BUDGET_MODE = key("budget.<name>.mode", ValueType.CHOICE, List.of("enforce", "shadow"), null,
            "This budget's own `mode`: a new budget can shadow (its would-be refusals only logged and written as `would-refuse`) while the others enforce. Unset: the global `mode`.");
    public static final ConfigKey BUDGET_ALERT_AT = key("budget.<name>.alert-at", ValueType.FRACTIONS, List.of(), null,
            "Fractions of the limit, e.g. `0.5,0.8,0.95`: when settled spend first reaches one, an alert fires once per window and partition (a WARN line, the JMX notification, and `alerts.webhook.url` if set).");

    public static final List<ConfigKey> ALL = List.of(STORE, STORE_JOURNAL_PATH, STORE_JOURNAL_FSYNC, STORE_RESERVATION_TIMEOUT,
            STORE_REDIS_URL, STORE_REDIS_KEY_PREFIX, STORE_REDIS_TIMEOUT, STORE_REDIS_ON_UNAVAILABLE, STORE_REDIS_LOCAL_SLICE,
            KILLSWITCH_REDIS_KEY, LEDGER_ENABLED, LEDGER_PATH, PRICES_FILE, UNKNOWN_MODEL,
            FALLBACK_INPUT, FALLBACK_OUTPUT, DEFAULT_MAX_OUTPUT, MAX_OUTPUT, MAX_OUTPUT_ACTION, EXACT_COUNT_MAX_CHARS, EXACT_COUNT_MAX_WORD_CHARS,
            ON_INTERNAL_ERROR, OPENAI_SDK_ENABLED, ANTHROPIC_SDK_ENABLED, LANGCHAIN4J_ENABLED, JDK_HTTP_CLIENT_ENABLED, OKHTTP_ENABLED,
            PROVIDER_HOSTS, PROVIDER_HOSTS_DEFAULTS, LOG_LEVEL,
            TASK_ENTRY_POINTS, TENANT_MDC_KEY, TASK_MAX_CALLS, TASK_MAX_TOKENS, RETRY_MAX_ATTEMPTS, RETRY_WINDOW,
            CIRCUIT_FAILURES, CIRCUIT_WINDOW, CIRCUIT_OPEN_FOR, LOOP_IDENTICAL, LOOP_PING_PONG, LOOP_WINDOW,
            RATE_CALLS, RATE_TOKENS, RATE_PER, RATE_ACTION, RATE_MAX_WAIT,
            CONCURRENCY_MAX, CONCURRENCY_PER, CONCURRENCY_ACTION, CONCURRENCY_MAX_WAIT, BURN_RATE, KILLSWITCH_FILE, JMX_ENABLED,
            MODE, CONFIG_RELOAD, CONFIG_RELOAD_INTERVAL, ALERTS_WEBHOOK_URL, ALERTS_WEBHOOK_TIMEOUT, ALERTS_WEBHOOK_RETRIES,
            ALERTS_WEBHOOK_QUEUE, ALERTS_REFUSAL_INTERVAL, METRICS_PORT, METRICS_HOST,
            BUDGET_LIMIT, BUDGET_WINDOW, BUDGET_ZONE, BUDGET_MATCH_MODEL, BUDGET_PER, BUDGET_MODE, BUDGET_ALERT_AT);

    /** Budget names: letters, digits, {@code _} and {@code -}, so a key splits unambiguously on dots. */
    public static final Pattern BUDGET_KEY = Pattern.compile("budget\\.([A-Za-z0-9_-]+)\\.(.+)");

    private static final Map<String, ConfigKey> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, ConfigKey> BY_BUDGET_SUFFIX = new LinkedHashMap<>();

    static {
        for (ConfigKey key : ALL) {
            if (key.isPerBudget()) {
                BY_BUDGET_SUFFIX.put(key.budgetSuffix(), key);
            } else {
                BY_NAME.put(key.name(), key);
            }
        }
    }

    private ConfigKeys() {
    }

    private static ConfigKey key(String name, ValueType type, List<String> choices, String defaultValue, String description) {
        return new ConfigKey(name, type, choices, defaultValue, description);
    }

    /** The declaration a concrete key (e.g. {@code budget.daily.limit-usd}) falls under, if any. */
    public static Optional<ConfigKey> declarationOf(String key) {
        ConfigKey plain = BY_NAME.get(key);
        if (plain != null) {
            return Optional.of(plain);
        }
        Matcher budget = BUDGET_KEY.matcher(key);
        return budget.matches() ? Optional.ofNullable(BY_BUDGET_SUFFIX.get(budget.group(2))) : Optional.empty();
    }

    /** The budget name in a per-budget key, if it is one. */
    public static Optional<String> budgetNameOf(String key) {
        Matcher budget = BUDGET_KEY.matcher(key);
        return budget.matches() ? Optional.of(budget.group(1)) : Optional.empty();
    }

    /** Concrete keys an unknown key may have meant: every plain key, and the per-budget keys for its budget name. */
    static List<String> candidatesFor(String unknownKey) {
        List<String> candidates = new ArrayList<>(BY_NAME.keySet());
        String budget = budgetNameOf(unknownKey).orElse(null);
        if (budget == null && unknownKey.startsWith("budget.")) {
            String rest = unknownKey.substring("budget.".length());
            budget = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        }
        for (ConfigKey key : BY_BUDGET_SUFFIX.values()) {
            candidates.add(key.forBudget(budget == null || budget.isEmpty() ? ConfigKey.BUDGET_NAME : budget));
        }
        return candidates;
    }

    /** The known key closest to {@code unknownKey} by edit distance. */
    public static String closestTo(String unknownKey) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidatesFor(unknownKey)) {
            int distance = editDistance(unknownKey, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The environment variable that overrides {@code key}: {@code LLMBUDGET_} + upper case, {@code .} and {@code -} as {@code _}. */
    public static String envName(String key) {
        return "LLMBUDGET_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
