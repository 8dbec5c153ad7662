package dev.llmbudget.instrument.okhttp;

import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.Guard;
import dev.llmbudget.core.GuardSettings;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.OutputCeiling;
import dev.llmbudget.core.UnknownModelPolicy;
import dev.llmbudget.instrument.Enforcement;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.tokens.TokenCounter;
import dev.llmbudget.wire.ProviderHosts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A real {@link Guard} installed as the agent's gate, 127.0.0.1 a known LLM host: $1 per million
 * tokens, so micro-USD read as token counts.
 */
final class OkHttpTestGuard implements AutoCloseable {
    private static final ModelPrice ONE_PER_TOKEN = new ModelPrice("test", 1_000_000, 500_000, 1_000_000, 1_000_000, 0);
    private static final PriceTable PRICES = new PriceTable(Map.of("gpt-4o-mini", ONE_PER_TOKEN,
            "claude-sonnet-4-20250514", ONE_PER_TOKEN));
    /** Shared: loading the encodings is what a new counter costs. */
    private static final TokenCounter TOKENS = new TokenCounter();

    final List<CallRecord> records = Collections.synchronizedList(new ArrayList<>());
    final Guard guard;

    OkHttpTestGuard(long limitMicros, OutputCeiling ceiling) {
        guard = new Guard(new GuardSettings(List.of(new BudgetSpec("run", limitMicros, BudgetWindow.TOTAL, ModelGlob.ANY)),
                4_096, UnknownModelPolicy.BLOCK, null, ceiling), PRICES, TOKENS, new MemoryStore(),
                Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC), records::add);
        Enforcement.install(guard, false, ProviderHosts.of(List.of("127.0.0.1")));
    }

    /** The one record written, waiting for it a little: an enqueued call ends on a dispatcher thread. */
    CallRecord only() throws InterruptedException {
        awaitRecords(1);
        synchronized (records) {
            if (records.size() != 1) {
                throw new AssertionError("expected one record, got " + records);
            }
            return records.get(0);
        }
    }

    void awaitRecords(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        Enforcement.install(null, false, ProviderHosts.defaults());
    }
}
