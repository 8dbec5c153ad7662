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

    public static final ConfigKey BUDGET_LIMIT = key("budget.<name>.limit-usd", ValueType.USD, List.of(), null,
            "The budget's limit in USD. Required for each budget. A call must fit every budget that matches it.");
    public static final ConfigKey BUDGET_WINDOW = key("budget.<name>.window", ValueType.WINDOW, List.of(), "total",
            "When the budget starts again from zero: `total` never; `minute`, `hour`, `day`, `week` (from Monday), `month` at the calendar boundary in `budget.<name>.zone`; `rolling-<duration>` (e.g. `rolling-24h`) counts the spend of the last duration (kept in 60 buckets: spend leaves the window up to one sixtieth late, never early).");
    public static final ConfigKey BUDGET_ZONE = key("budget.<name>.zone", ValueType.ZONE, List.of(), "UTC",
            "The time zone of the budget's calendar window.");
    public static final ConfigKey BUDGET_PER = key("budget.<name>.per", ValueType.CHOICE, List.of("global", "api-key", "model"), "global",
            "How the budget is split: `global` one account for every call it matches; `api-key` one per API key (told apart by fingerprint, never stored in clear); `model` one per model. Each account has the whole limit.");
    public static final ConfigKey BUDGET_MATCH_MODEL = key("budget.<name>.match.model", ValueType.GLOB, List.of(), null,
            "Only calls to models matching these globs count against the budget (`*`, `?`, comma-separated). Unset: all models.");

    public static final List<ConfigKey> ALL = List.of(STORE, STORE_JOURNAL_PATH, STORE_JOURNAL_FSYNC, STORE_RESERVATION_TIMEOUT,
            STORE_REDIS_URL, STORE_REDIS_KEY_PREFIX, STORE_REDIS_TIMEOUT, STORE_REDIS_ON_UNAVAILABLE, STORE_REDIS_LOCAL_SLICE,
            KILLSWITCH_REDIS_KEY, LEDGER_ENABLED, LEDGER_PATH, PRICES_FILE, UNKNOWN_MODEL,
            FALLBACK_INPUT, FALLBACK_OUTPUT, DEFAULT_MAX_OUTPUT, MAX_OUTPUT, MAX_OUTPUT_ACTION, EXACT_COUNT_MAX_CHARS, EXACT_COUNT_MAX_WORD_CHARS,
            ON_INTERNAL_ERROR, OPENAI_SDK_ENABLED, ANTHROPIC_SDK_ENABLED, LANGCHAIN4J_ENABLED, JDK_HTTP_CLIENT_ENABLED, OKHTTP_ENABLED,
            PROVIDER_HOSTS, PROVIDER_HOSTS_DEFAULTS, LOG_LEVEL,
            BUDGET_LIMIT, BUDGET_WINDOW, BUDGET_ZONE, BUDGET_MATCH_MODEL, BUDGET_PER);

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
