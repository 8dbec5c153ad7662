package dev.llmbudget.ops.alerts;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.Partition;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.tokens.Prompt;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Budgets, accounts and call records as the guard makes them, for the alert tests. */
final class Calls {
    static final LlmCall CALL = new LlmCall("openai", "chat.completions", "gpt-4o", Prompt.ofText("hi"), 10, 1, true,
            false, null);

    private Calls() {
    }

    static BudgetSpec budget(String name, long limitMicros, String window, Partition per) {
        return new BudgetSpec(name, limitMicros, BudgetWindow.parse(window, ZoneOffset.UTC), ModelGlob.ANY, per);
    }

    /** The account the guard charges for a call at {@code at}: {@code <budget>/<partition>/<window id>}. */
    static AccountRef account(BudgetSpec budget, String partitionKey, Instant at) {
        BudgetWindow.Span span = budget.window().spanAt(at);
        String prefix = budget.name() + "/" + partitionKey + "/";
        List<String> earlier = span.earlierIds().stream().map(prefix::concat).toList();
        long expires = span.expiresAt() == null ? 0 : span.expiresAt().toEpochMilli();
        return new AccountRef(budget.name(), prefix + span.id(), earlier, budget.limitMicros(), expires);
    }

    /** Reserves and settles {@code micros} in the real store, and returns the record the permit writes. */
    static CallRecord charge(SpendStore store, AccountRef account, long micros, Instant time, String tenant) {
        ReserveResult result = store.reserve(UUID.randomUUID().toString(), List.of(account), micros);
        store.settle(assertInstanceOf(ReserveResult.Granted.class, result).reservation(), micros);
        return settled(account, micros, time, tenant);
    }

    static CallRecord settled(AccountRef account, long micros, Instant time, String tenant) {
        return new CallRecord(time, UUID.randomUUID().toString(), CALL, 1, "EXACT_O200K", 10, null, micros, micros,
                List.of(account.budget()), "allow", CallRecord.Outcome.SETTLED, "budget." + account.budget() + ".limit-usd",
                null, 1, 1, new CallScope(null, tenant), 0, List.of(account));
    }

    static CallRecord refused(String decision, String rule, Instant time, String tenant) {
        return new CallRecord(time, UUID.randomUUID().toString(), CALL, 1, "EXACT_O200K", 10, null, 1000, 0, List.of(),
                decision, CallRecord.Outcome.REFUSED, rule, null, 0, 0, new CallScope(null, tenant), 0, List.of());
    }
}
