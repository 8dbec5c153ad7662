package dev.llmbudget.ops.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.Partition;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.ConcurrentWorkers;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the MBeans count, from call records as the guard writes them. */
class CallStatsTest {
    private static final BudgetWindow DAY = new BudgetWindow(BudgetWindow.Kind.DAY, ZoneOffset.UTC);
    private static final BudgetSpec DAILY = new BudgetSpec("daily", 5_000_000, DAY, ModelGlob.ANY);
    private static final BudgetSpec PER_TENANT = new BudgetSpec("per-tenant", 1_000_000, DAY, ModelGlob.ANY, Partition.TENANT);

    /** A call record as the guard writes it, charged to {@code accounts} (one per budget, or none). */
    static CallRecord record(String decision, String rule, String library, String tenant, List<String> budgets,
                             List<AccountRef> accounts) {
        LlmCall call = new LlmCall("openai", "chat.completions", "gpt-4o", null, 100, 1, true, false, null, library);
        CallRecord.Outcome outcome = switch (decision) {
            case "refuse" -> CallRecord.Outcome.REFUSED;
            case "unguarded" -> CallRecord.Outcome.UNGUARDED;
            default -> CallRecord.Outcome.SETTLED;
        };
        return new CallRecord(Instant.parse("2026-11-23T10:00:00Z"), "call-1", call, 10, "EXACT_O200K", 100, null, 500, 400,
                budgets, decision, outcome, rule, null, 3, 1, new CallScope(null, tenant), 1_000, accounts);
    }

    static AccountRef account(String budget, String partition) {
        return new AccountRef(budget, budget + "/" + partition + "/2026-11-23", 1_000_000, 0);
    }

    @Test
    void countsCallsPerLibraryAndPerBudgetByDecision() {
        CallStats stats = new CallStats();
        stats.budgets(List.of(DAILY));
        List<String> daily = List.of("daily");
        List<AccountRef> charged = List.of(account("daily", "global"));
        stats.record(record("allow", "budget.daily.limit-usd", "openai-sdk", null, daily, charged));
        stats.record(record("allow", "budget.daily.limit-usd", "openai-sdk", null, daily, charged));
        stats.record(record("would-refuse", "budget.daily.limit-usd", "langchain4j", null, daily, charged));
        stats.record(record("would-refuse", "limits.rate.calls-per-minute", "langchain4j", null, daily, charged));
        stats.record(record("unguarded", "on-internal-error", null, null, List.of(), List.of()));
        stats.record(record("refuse", "budget.daily.limit-usd", "okhttp", null, daily, List.of()));
        stats.record(record("refuse", "killswitch.file", "okhttp", null, daily, List.of()));

        assertEquals(Map.of("openai-sdk", 2L, "langchain4j", 2L, "unknown", 1L), stats.callsByLibrary(),
                "refused calls were not guarded through a library: they never went out");
        assertEquals(4, stats.calls("daily"), "allowed and would-refuse calls were charged to the budget");
        assertEquals(1, stats.refusals("daily"), "only the refusal whose rule is the budget's limit");
        assertEquals(1, stats.wouldRefusals("daily"), "only the shadow refusal whose rule is the budget's limit");
        assertEquals(0, stats.calls("other"));
        assertEquals(Map.of(), stats.partitions("daily"), "a global budget keeps no partitions");
    }

    @Test
    void theLimitKeyNamesItsBudget() {
        assertEquals("daily", CallStats.budgetOfLimitKey("budget.daily.limit-usd"));
        assertEquals("a-b_c", CallStats.budgetOfLimitKey("budget.a-b_c.limit-usd"));
        assertNull(CallStats.budgetOfLimitKey("budget..limit-usd"));
        assertNull(CallStats.budgetOfLimitKey("limits.burn-rate.usd-per-minute"));
        assertNull(CallStats.budgetOfLimitKey(null));
    }

    @Test
    void aPartitionedBudgetKeepsTheAccountLastChargedPerPartitionMostRecentFirst() {
        CallStats stats = new CallStats();
        stats.budgets(List.of(DAILY, PER_TENANT));
        List<String> both = List.of("daily", "per-tenant");
        stats.record(record("allow", "budget.per-tenant.limit-usd", "openai-sdk", "acme", both,
                List.of(account("daily", "global"), account("per-tenant", "tenant=acme"))));
        stats.record(record("allow", "budget.per-tenant.limit-usd", "openai-sdk", null, both,
                List.of(account("daily", "global"), account("per-tenant", "tenant=%28none%29"))));
        stats.record(record("refuse", "budget.per-tenant.limit-usd", "openai-sdk", "globex", both, List.of()));

        Map<String, AccountRef> partitions = stats.partitions("per-tenant");
        assertEquals(List.of("tenant (none)", "tenant acme"), new ArrayList<>(partitions.keySet()));
        assertEquals(account("per-tenant", "tenant=acme"), partitions.get("tenant acme"));
        assertEquals(1, stats.refusals("per-tenant"));

        stats.budgets(List.of(DAILY, new BudgetSpec("per-tenant", 2_000_000, DAY, ModelGlob.ANY, Partition.TENANT)));
        assertEquals(2, stats.partitions("per-tenant").size(), "a new limit keeps the partitions");
        stats.budgets(List.of(DAILY, new BudgetSpec("per-tenant", 2_000_000, DAY, ModelGlob.ANY, Partition.MODEL)));
        assertEquals(Map.of(), stats.partitions("per-tenant"), "partitions of another kind start afresh");
        assertEquals(2, stats.calls("per-tenant"), "counters are kept by name across a reload");
    }

    @Test
    void aTenantExplosionKeepsOnlyTheMostRecentPartitions() {
        CallStats stats = new CallStats(100);
        stats.budgets(List.of(PER_TENANT));
        for (int i = 0; i < 10_000; i++) {
            stats.record(record("allow", "budget.per-tenant.limit-usd", "openai-sdk", "t" + i, List.of("per-tenant"),
                    List.of(account("per-tenant", "tenant=t" + i))));
        }
        Map<String, AccountRef> partitions = stats.partitions("per-tenant");
        assertEquals(100, partitions.size());
        assertTrue(partitions.containsKey("tenant t9999"), "the last one charged");
        // (charged at the same nanosecond, two partitions may be kept in either order)
        assertTrue(partitions.keySet().stream().allMatch(label -> Integer.parseInt(label.substring("tenant t".length())) >= 9_800),
                () -> "only the most recent are kept: " + partitions.keySet());
        assertEquals(10_000, stats.calls("per-tenant"));
    }

    @Test
    void eightThreadsRecordingAtOnceLoseNoCount() throws Exception {
        CallStats stats = new CallStats();
        stats.budgets(List.of(DAILY, PER_TENANT));
        int perThread = 5_000;
        ConcurrentWorkers.runTogether(8, 60, thread -> {
            for (int i = 0; i < perThread; i++) {
                String tenant = "t" + (thread * perThread + i) % 2_000;
                List<String> both = List.of("daily", "per-tenant");
                List<AccountRef> accounts = List.of(account("daily", "global"), account("per-tenant", "tenant=" + tenant));
                switch (i % 4) {
                    case 0 -> stats.record(record("allow", "budget.daily.limit-usd", "openai-sdk", tenant, both, accounts));
                    case 1 -> stats.record(record("would-refuse", "budget.per-tenant.limit-usd", "okhttp", tenant, both, accounts));
                    case 2 -> stats.record(record("refuse", "budget.daily.limit-usd", "openai-sdk", tenant, both, List.of()));
                    default -> stats.record(record("unguarded", "on-internal-error", null, tenant, List.of(), List.of()));
                }
            }
        });
        long quarter = 8L * perThread / 4;
        assertEquals(Map.of("openai-sdk", quarter, "okhttp", quarter, "unknown", quarter), stats.callsByLibrary());
        assertEquals(2 * quarter, stats.calls("daily"));
        assertEquals(2 * quarter, stats.calls("per-tenant"));
        assertEquals(quarter, stats.refusals("daily"));
        assertEquals(quarter, stats.wouldRefusals("per-tenant"));
        int partitions = stats.partitions("per-tenant").size();
        assertTrue(partitions > 0 && partitions <= CallStats.MAX_PARTITIONS, "partitions kept: " + partitions);
    }
}
