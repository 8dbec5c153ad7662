package dev.llmbudget.instrument.langchain4j;

import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.Guard;
import dev.llmbudget.core.GuardSettings;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.OutputCeiling;
import dev.llmbudget.core.UnknownModelPolicy;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.tokens.TokenCounter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A real {@link Guard} for the bridge's tests: $1 per million tokens, so micro-USD read as token counts. */
final class Lc4jTestGuard {
    private static final ModelPrice ONE_PER_TOKEN = new ModelPrice("test", 1_000_000, 500_000, 1_000_000, 1_000_000, 0);
    private static final PriceTable PRICES = new PriceTable(Map.of("gpt-4o-mini", ONE_PER_TOKEN,
            "claude-sonnet-4-20250514", ONE_PER_TOKEN));

    final List<CallRecord> records = Collections.synchronizedList(new ArrayList<>());
    final Guard guard;

    Lc4jTestGuard(long limitMicros, OutputCeiling ceiling) {
        guard = new Guard(new GuardSettings(List.of(new BudgetSpec("run", limitMicros, BudgetWindow.TOTAL, ModelGlob.ANY)),
                4_096, UnknownModelPolicy.BLOCK, null, ceiling), PRICES, new TokenCounter(), new MemoryStore(),
                Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC), records::add);
    }

    CallRecord only() {
        if (records.size() != 1) {
            throw new AssertionError("expected one record, got " + records);
        }
        return records.get(0);
    }
}
