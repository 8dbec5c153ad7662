package dev.llmbudget.bench.core;

import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecorder;
import dev.llmbudget.core.Guard;
import dev.llmbudget.core.GuardSettings;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.Permit;
import dev.llmbudget.core.UnknownModelPolicy;
import dev.llmbudget.core.Usage;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.tokens.TokenCounter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The Guard's decision core: one op is {@code preflight(call)} (price the worst case, reserve it in the
 * matching budget of an in-memory store) followed by {@code permit.settle(usage)}. The prompt is given as a
 * pre-tokenized count, so no tokenizer runs; the budgets' limits are so large that nothing is refused; the
 * call recorder (the ledger) does nothing. One {@link Guard} and one {@link MemoryStore} are shared by all
 * threads, as in the agent.
 *
 * <ul>
 *   <li>{@link #reserveSettle}: average time per op, one thread.</li>
 *   <li>{@link #separateBudgets1Thread} / {@link #separateBudgets2Threads}: throughput of the same op with
 *       one and two threads, each thread calling its own model that falls under its own budget
 *       ({@code bench-a*} / {@code bench-b*}). Their ratio shows whether the store serializes unrelated
 *       budgets: close to 2 on two free cores means it does not.</li>
 *   <li>{@link #sharedStoreOwnGuards2Threads}: control for the two-thread figure: the same op with two
 *       threads, each with its own {@link Guard} over the one shared store. If this scales and
 *       {@link #separateBudgets2Threads} does not, what serializes is shared state in the guard, not the store.</li>
 * </ul>
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecisionCoreBenchmark {

    /** Input tokens of every call, given as token ids: the tokenizer is not part of this benchmark. */
    static final long INPUT_TOKENS = 1_000;
    static final long MAX_OUTPUT_TOKENS = 500;
    /** $2.50 in / $10.00 out per million tokens, gpt-4o's list prices. */
    static final ModelPrice PRICE = new ModelPrice("bench", 2_500_000, 1_250_000, 2_500_000, 10_000_000, 0);
    /** Far beyond what billions of ops settle (a few thousand micro-USD each), far from overflow. */
    static final long HUGE_LIMIT_MICROS = Long.MAX_VALUE / 4;
    static final String[] MODELS = {"bench-a-1", "bench-b-1"};

    /** A guard with one budget per model family ({@code bench-a*}, {@code bench-b*}) over {@code store}. */
    static Guard newGuard(MemoryStore store) {
        List<BudgetSpec> budgets = List.of(
                new BudgetSpec("bench-a", HUGE_LIMIT_MICROS, BudgetWindow.TOTAL, ModelGlob.parse("bench-a*")),
                new BudgetSpec("bench-b", HUGE_LIMIT_MICROS, BudgetWindow.TOTAL, ModelGlob.parse("bench-b*")));
        PriceTable prices = new PriceTable(Map.of(MODELS[0], PRICE, MODELS[1], PRICE));
        GuardSettings settings = new GuardSettings(budgets, 4_096, UnknownModelPolicy.BLOCK, null);
        CallRecorder recorder = record -> { };
        return new Guard(settings, prices, new TokenCounter(), store, Clock.systemUTC(), recorder);
    }

    /** The store and the guard every thread shares, as in the agent. */
    @State(Scope.Benchmark)
    public static class SharedGuard {
        MemoryStore store;
        Guard guard;

        @Setup(Level.Trial)
        public void setUp() {
            store = new MemoryStore();
            guard = newGuard(store);
        }
    }

    /**
     * Control: each thread's own guard (own call-id counter, caches, price table, token counter) over the one
     * shared store. Only the store is shared, so this isolates the store's own contention.
     */
    @State(Scope.Thread)
    public static class OwnGuard {
        Guard guard;

        @Setup(Level.Trial)
        public void setUp(SharedGuard shared) {
            guard = newGuard(shared.store);
        }
    }

    /** Each thread's own call and usage: thread 0 calls {@code bench-a-1}, thread 1 {@code bench-b-1}. */
    @State(Scope.Thread)
    public static class ThreadCall {
        LlmCall call;
        Usage usage;

        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            String model = MODELS[thread.getThreadIndex() % MODELS.length];
            call = new LlmCall("openai", "chat.completions", model, new Prompt(List.of(), 0, 0, INPUT_TOKENS),
                    MAX_OUTPUT_TOKENS, 1, true, false, "sk-…abcd#0000");
            usage = new Usage(INPUT_TOKENS, 0, 0, 200, 0);
        }
    }

    private static Permit reserveAndSettle(SharedGuard shared, ThreadCall mine) {
        Permit permit = shared.guard.preflight(mine.call);
        permit.settle(mine.usage);
        return permit;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Threads(1)
    public Permit reserveSettle(SharedGuard shared, ThreadCall mine) {
        return reserveAndSettle(shared, mine);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public Permit separateBudgets1Thread(SharedGuard shared, ThreadCall mine) {
        return reserveAndSettle(shared, mine);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public Permit separateBudgets2Threads(SharedGuard shared, ThreadCall mine) {
        return reserveAndSettle(shared, mine);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public Permit sharedStoreOwnGuards2Threads(OwnGuard own, ThreadCall mine) {
        Permit permit = own.guard.preflight(mine.call);
        permit.settle(mine.usage);
        return permit;
    }
}
