package dev.llmbudget.bench.memory;

import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.Guard;
import dev.llmbudget.core.GuardSettings;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.UnknownModelPolicy;
import dev.llmbudget.core.Usage;
import dev.llmbudget.ops.ledger.JsonlLedger;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.tokens.TokenCounter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Heap the agent holds after many guarded calls: a guard as the agent wires it (in-memory store, day
 * and total budgets, a real ledger streaming to disk) takes {@code calls} calls, each reserved and
 * settled; the heap after a full GC is compared with the heap before the first call. Nothing per call
 * may stay behind.
 */
public final class HeapAfterCalls {
    /** Bytes used after GC before the first call and after the last, and the calls made. */
    public record Result(long calls, long heapBefore, long heapAfter) {
        public long held() {
            return heapAfter - heapBefore;
        }
    }

    private HeapAfterCalls() {
    }

    public static Result run(long calls, Path workDir) throws IOException, InterruptedException {
        ModelPrice price = new ModelPrice("gpt-4o-mini", 150_000, 75_000, 150_000, 600_000, 0);
        List<BudgetSpec> budgets = List.of(
                new BudgetSpec("total", Long.MAX_VALUE / 4, BudgetWindow.TOTAL, ModelGlob.ANY),
                new BudgetSpec("daily", Long.MAX_VALUE / 4, new BudgetWindow(BudgetWindow.Kind.DAY, java.time.ZoneOffset.UTC),
                        ModelGlob.ANY));
        JsonlLedger ledger = JsonlLedger.open(workDir.resolve("heap-ledger.jsonl"));
        try {
            Guard guard = new Guard(new GuardSettings(budgets, 4_096, UnknownModelPolicy.BLOCK, null),
                    new PriceTable(Map.of("gpt-4o-mini", price)), new TokenCounter(), new MemoryStore(), Clock.systemUTC(), ledger);
            Usage usage = new Usage(1_000, 0, 0, 20, 0);
            // warm every path once (classes, caches), then measure from a clean heap
            for (int i = 0; i < 10_000; i++) {
                guard.preflight(call(i)).settle(usage);
            }
            long before = heapAfterGc();
            for (long i = 0; i < calls; i++) {
                guard.preflight(call(i)).settle(usage);
            }
            long after = heapAfterGc();
            return new Result(calls, before, after);
        } finally {
            ledger.close();
        }
    }

    /** Distinct API keys, so that a per-key structure that grew per call would show. */
    private static LlmCall call(long i) {
        return new LlmCall("openai", "chat.completions", "gpt-4o-mini", new Prompt(List.of(), 2, 0, 1_000), 50, 1,
                true, false, "sk-…" + (i % 10_000) + "#0000");
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
