package dev.llmbudget.ops.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.core.Alert;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.Partition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RefusalAlertsTest {
    private static final String RATE = "limits.rate.calls-per-minute";

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2099-11-23T10:00:00Z"));
    private final List<Alert> raised = new ArrayList<>();
    private final BudgetSpec daily = Calls.budget("daily", 25_000_000, "day", Partition.TENANT);
    private final RefusalAlerts alerts = new RefusalAlerts(raised::add, List.of(daily), Duration.ofMinutes(5), now::get);

    private void refuse(String rule, String tenant) {
        alerts.record(Calls.refused("refuse", rule, now.get(), tenant));
    }

    private void advance(Duration by) {
        now.set(now.get().plus(by));
    }

    @Test
    void aRuleAndPartitionAlertsOncePerInterval() {
        for (int i = 0; i < 50; i++) {
            refuse(RATE, "acme");
        }
        refuse(RATE, "globex");
        refuse("limits.concurrency.max", "acme");
        assertEquals(3, raised.size(), raised::toString);
        Alert first = raised.get(0);
        assertEquals(Alert.Kind.REFUSAL, first.kind());
        assertEquals(RATE, first.rule());
        assertEquals("tenant acme", first.partition());
        assertEquals("refused a gpt-4o call: limits.rate.calls-per-minute (tenant acme)", first.message());

        advance(Duration.ofMinutes(4));
        refuse(RATE, "acme");
        assertEquals(3, raised.size(), "still within five minutes");
        advance(Duration.ofMinutes(1));
        refuse(RATE, "acme");
        assertEquals(4, raised.size(), "the interval has passed");
    }

    @Test
    void aBudgetRefusalAlertsOncePerWindowOfItsPartition() {
        refuse(daily.limitKey(), "acme");
        refuse(daily.limitKey(), "acme");
        refuse(daily.limitKey(), null);
        assertEquals(2, raised.size(), raised::toString);
        Alert acme = raised.get(0);
        assertEquals("daily", acme.budget());
        assertEquals("tenant acme", acme.partition());
        assertEquals(25_000_000, acme.limitMicros());
        assertEquals(Instant.parse("2099-11-24T00:00:00Z"), acme.windowEnd());
        assertEquals("refused a gpt-4o call: budget 'daily' (tenant acme) cannot take its worst-case cost under the limit"
                + " of $25.00 (budget.daily.limit-usd), window ends 2099-11-24T00:00Z", acme.message());
        assertEquals("tenant (none)", raised.get(1).partition());

        advance(Duration.ofHours(6));
        refuse(daily.limitKey(), "acme");
        assertEquals(2, raised.size(), "same day: the interval alone does not re-alert a budget");
        advance(Duration.ofHours(12));
        refuse(daily.limitKey(), "acme");
        assertEquals(3, raised.size(), "a new day's refusal alerts");
        assertEquals(Instant.parse("2099-11-25T00:00:00Z"), raised.get(2).windowEnd());
    }

    @Test
    void shadowModeAlertsThatItWouldRefuse() {
        alerts.record(Calls.refused(CallRecord.WOULD_REFUSE, daily.limitKey(), now.get(), "acme"));
        assertEquals(1, raised.size());
        assertTrue(raised.get(0).message().startsWith("would refuse a gpt-4o call (shadow mode: sent anyway): budget 'daily'"),
                raised.get(0).message());
    }

    @Test
    void killSwitchesAllowedCallsAndRulesWithoutTenantAreHandled() {
        refuse("killswitch.file", "acme");
        refuse("jmx:halt", "acme");
        refuse("killswitch.redis-key", "acme");
        alerts.record(Calls.refused("allow", RATE, now.get(), "acme"));
        assertEquals(List.of(), raised, "halts alert when thrown, not per refusal");
        refuse("pricing.unknown-model", null);
        assertEquals(1, raised.size());
        assertNull(raised.get(0).partition());
        assertEquals("refused a gpt-4o call: pricing.unknown-model", raised.get(0).message());
    }

    @Test
    void aReloadThatChangesABudgetLetsItAlertAgain() {
        refuse(daily.limitKey(), "acme");
        refuse(RATE, "acme");
        alerts.update(List.of(daily), Duration.ofMinutes(5));
        refuse(daily.limitKey(), "acme");
        refuse(RATE, "acme");
        assertEquals(2, raised.size(), "nothing changed");
        BudgetSpec raisedLimit = Calls.budget("daily", 50_000_000, "day", Partition.TENANT);
        alerts.update(List.of(raisedLimit), Duration.ofMinutes(5));
        refuse(daily.limitKey(), "acme");
        refuse(RATE, "acme");
        assertEquals(3, raised.size(), raised::toString);
        assertEquals(50_000_000, raised.get(2).limitMicros());
    }
}
