package dev.llmbudget.ops.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.Guard;
import dev.llmbudget.core.GuardSettings;
import dev.llmbudget.core.HaltSwitch;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.Partition;
import dev.llmbudget.core.Permit;
import dev.llmbudget.core.UnknownModelPolicy;
import dev.llmbudget.core.Usage;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.tokens.TokenCounter;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The budgets' MBeans as a JMX client reads them, over a real guard and store. */
class BudgetMBeansTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final PriceTable PRICES = new PriceTable(Map.of("test-model",
            new ModelPrice("test", 1_000_000, 500_000, 1_000_000, 1_000_000, 0)));
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static final BudgetSpec DAILY = new BudgetSpec("daily", 1_000, new BudgetWindow(BudgetWindow.Kind.DAY, UTC), ModelGlob.ANY);
    private static final BudgetSpec PER_TENANT = new BudgetSpec("per-tenant", 250, new BudgetWindow(BudgetWindow.Kind.DAY, UTC),
            ModelGlob.ANY, Partition.TENANT);
    private static final BudgetSpec WATCH = new BudgetSpec("watch", 150, BudgetWindow.TOTAL, ModelGlob.ANY, Partition.GLOBAL, true);

    private final MemoryStore store = new MemoryStore();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final AtomicReference<String> tenant = new AtomicReference<>();
    private final CallStats stats = new CallStats();
    private BudgetMBeans budgets;

    @AfterEach
    void unregister() throws Exception {
        if (budgets != null) {
            budgets.unregister();
        }
        for (ObjectName left : SERVER.queryNames(new ObjectName("dev.llmbudget:type=Budget,*"), null)) {
            SERVER.unregisterMBean(left);
        }
    }

    private Guard guard(BudgetSpec... specs) {
        return new Guard(new GuardSettings(List.of(specs), 4096, UnknownModelPolicy.BLOCK, null), PRICES, new TokenCounter(),
                store, clock, stats, () -> new CallScope(null, tenant.get()), HaltSwitch.NONE);
    }

    private BudgetMBeans registered(BudgetSpec... specs) {
        budgets = new BudgetMBeans(List.of(specs), stats, store, clock, 0);
        budgets.register();
        return budgets;
    }

    /** A call of 100 micro-USD (1 input token, 99 output tokens) for the tenant. */
    private void spend100(Guard guard, String forTenant) {
        tenant.set(forTenant);
        guard.preflight(call()).settle(new Usage(1, 0, 0, 99, 0));
    }

    private static LlmCall call() {
        return new LlmCall("openai", "chat.completions", "test-model", Prompt.ofText("hello"), 100, 1, true, false, null, "openai-sdk");
    }

    private static Object read(String budget, String attribute) throws Exception {
        return SERVER.getAttribute(new ObjectName("dev.llmbudget:type=Budget,name=" + budget), attribute);
    }

    private static Map<String, Long> table(String budget, String attribute) throws Exception {
        return rows(read(budget, attribute));
    }

    /** A {@code Map<String, Long>} attribute as a client gets it, a table of (key, value) rows, as a map again. */
    static Map<String, Long> rows(Object attribute) {
        Map<String, Long> rows = new HashMap<>();
        for (Object row : assertInstanceOf(TabularData.class, attribute).values()) {
            CompositeData data = (CompositeData) row;
            rows.put((String) data.get("key"), (Long) data.get("value"));
        }
        return rows;
    }

    @Test
    void eachBudgetShowsItsLimitSpendCountsAndWindowThroughThePlatformMBeanServer() throws Exception {
        Guard guard = guard(DAILY, PER_TENANT, WATCH);
        registered(DAILY, PER_TENANT, WATCH);
        spend100(guard, "acme");
        spend100(guard, "acme"); // watch: 100 spent + this call's hold > 150: would refuse
        spend100(guard, "globex");
        assertThrows(BudgetExceededException.class, () -> spend100(guard, "acme"), "acme's 200 + this call's hold > 250");

        assertEquals(1_000L, read("daily", "LimitMicroUsd"));
        assertEquals("$0.001", read("daily", "Limit"));
        assertEquals(300L, read("daily", "SpentMicroUsd"));
        assertEquals("$0.0003", read("daily", "Spent"));
        assertEquals(0L, read("daily", "HeldMicroUsd"));
        assertEquals(700L, read("daily", "RemainingMicroUsd"));
        assertEquals(3L, read("daily", "Calls"));
        assertEquals(0L, read("daily", "Refusals"));
        assertEquals("day (UTC)", read("daily", "Window"));
        assertEquals("2026-11-24T00:00:00Z", read("daily", "WindowEnd"));
        assertEquals("global", read("daily", "Per"));
        assertEquals("enforce", read("daily", "Mode"));
        assertNull(read("daily", "TopPartition"));
        assertEquals(Map.of(), table("daily", "PartitionSpentMicroUsd"));

        assertEquals(3L, read("per-tenant", "Calls"));
        assertEquals(1L, read("per-tenant", "Refusals"));
        assertEquals("tenant", read("per-tenant", "Per"));

        assertEquals("shadow", read("watch", "Mode"));
        assertEquals(3L, read("watch", "Calls"));
        assertEquals(2L, read("watch", "WouldRefusals"));
        assertEquals(0L, read("watch", "Refusals"));
        assertEquals(300L, read("watch", "SpentMicroUsd"), "a shadow budget counts past its limit");
        assertEquals(0L, read("watch", "RemainingMicroUsd"), "never below zero");
        assertNull(read("watch", "WindowEnd"), "a total window never ends");
        assertEquals("total", read("watch", "Window"));
    }

    @Test
    void aPartitionedBudgetShowsThePartitionsChargedInTheCurrentWindowAndItsTopOne() throws Exception {
        Guard guard = guard(PER_TENANT);
        registered(PER_TENANT);
        spend100(guard, "acme");
        spend100(guard, "globex");
        tenant.set("globex");
        Permit inFlight = guard.preflight(call());

        assertEquals(Map.of("tenant acme", 100L, "tenant globex", 100L), table("per-tenant", "PartitionSpentMicroUsd"));
        long held = inFlight.reservedMicros();
        assertEquals("tenant globex", read("per-tenant", "TopPartition"), "as much spent as acme, and a call in flight");
        assertEquals(100L, read("per-tenant", "SpentMicroUsd"));
        assertEquals(held, read("per-tenant", "HeldMicroUsd"));
        assertEquals(250L - 100 - held, read("per-tenant", "RemainingMicroUsd"), "the top partition's");
        inFlight.settle(new Usage(1, 0, 0, 99, 0));
        spend100(guard, "acme");
        spend100(guard, "initech");
        assertEquals(Map.of("tenant acme", 200L, "tenant globex", 200L, "tenant initech", 100L),
                table("per-tenant", "PartitionSpentMicroUsd"));
        assertEquals(0L, read("per-tenant", "HeldMicroUsd"));
        assertEquals(50L, read("per-tenant", "RemainingMicroUsd"));

        now.set(Instant.parse("2026-11-24T00:00:01Z"));
        assertEquals(Map.of(), table("per-tenant", "PartitionSpentMicroUsd"), "yesterday's partitions are not in today's window");
        assertNull(read("per-tenant", "TopPartition"));
        assertEquals(0L, read("per-tenant", "SpentMicroUsd"));
        assertEquals(250L, read("per-tenant", "RemainingMicroUsd"));
        spend100(guard, "globex");
        assertEquals(Map.of("tenant globex", 100L), table("per-tenant", "PartitionSpentMicroUsd"));
    }

    @Test
    void aPartitionOfARollingWindowCountsUntilItsSpendHasLeftTheWindow() throws Exception {
        BudgetSpec rolling = new BudgetSpec("hourly", 1_000, BudgetWindow.parse("rolling-1h", UTC), ModelGlob.ANY, Partition.TENANT);
        Guard guard = guard(rolling);
        registered(rolling);
        spend100(guard, "acme");
        now.set(now.get().plus(Duration.ofMinutes(30)));
        spend100(guard, "globex");
        assertEquals(Map.of("tenant acme", 100L, "tenant globex", 100L), table("hourly", "PartitionSpentMicroUsd"),
                "acme's spend of 30 minutes ago is in the hour; read from the current bucket's account");
        now.set(now.get().plus(Duration.ofMinutes(45)));
        assertEquals(Map.of("tenant globex", 100L), table("hourly", "PartitionSpentMicroUsd"));
        assertEquals(900L, read("hourly", "RemainingMicroUsd"));
        assertTrue(Instant.parse((String) read("hourly", "WindowEnd")).isAfter(now.get()), "the current bucket's end");
    }

    @Test
    void anUpdateRegistersNewBudgetsUnregistersGoneOnesAndKeepsTheCountersOfTheOthers() throws Exception {
        Guard guard = guard(DAILY, PER_TENANT);
        registered(DAILY, PER_TENANT);
        spend100(guard, "acme");
        assertEquals(Set.of("daily", "per-tenant"), budgets.registered());

        BudgetSpec raised = new BudgetSpec("daily", 5_000, DAILY.window(), ModelGlob.ANY);
        BudgetSpec added = new BudgetSpec("monthly", 20_000, new BudgetWindow(BudgetWindow.Kind.MONTH, UTC), ModelGlob.ANY);
        budgets.update(List.of(raised, added));

        assertFalse(SERVER.isRegistered(new ObjectName("dev.llmbudget:type=Budget,name=per-tenant")));
        assertTrue(SERVER.isRegistered(new ObjectName("dev.llmbudget:type=Budget,name=monthly")));
        assertEquals(Set.of("daily", "monthly"), budgets.registered());
        assertEquals(5_000L, read("daily", "LimitMicroUsd"), "the remaining budget shows its new limit at once");
        assertEquals(4_900L, read("daily", "RemainingMicroUsd"));
        assertEquals(1L, read("daily", "Calls"), "and keeps its counters");
        assertEquals("2026-12-01T00:00:00Z", read("monthly", "WindowEnd"));
        assertEquals(0L, read("monthly", "Calls"));

        budgets.unregister();
        assertTrue(SERVER.queryNames(new ObjectName("dev.llmbudget:type=Budget,*"), null).isEmpty());
    }

    @Test
    void nothingIsRegisteredBeforeRegisterIsCalled() throws Exception {
        budgets = new BudgetMBeans(List.of(DAILY), stats, store, clock);
        budgets.update(List.of(DAILY, PER_TENANT));
        assertTrue(SERVER.queryNames(new ObjectName("dev.llmbudget:type=Budget,*"), null).isEmpty());
        budgets.register();
        assertEquals(Set.of("daily", "per-tenant"), budgets.registered());
    }

    @Test
    void aNameTakenLogsAndRegistersTheOthers() throws Exception {
        registered(DAILY);
        BudgetMBeans second = new BudgetMBeans(List.of(DAILY, PER_TENANT), new CallStats(), store, clock);
        try {
            second.register();
            assertEquals(Set.of("per-tenant"), second.registered(), "daily's name belongs to the first");
        } finally {
            second.unregister();
        }
        assertTrue(SERVER.isRegistered(new ObjectName("dev.llmbudget:type=Budget,name=daily")));
    }

    @Test
    void theMBeanDescribesItsAttributesForAJmxClient() throws Exception {
        registered(PER_TENANT);
        MBeanInfo info = SERVER.getMBeanInfo(new ObjectName(BudgetMBeans.objectName("per-tenant")));
        assertTrue(info.getDescription().contains("TopPartition"), info.getDescription());
        Map<String, String> attributes = new HashMap<>();
        Arrays.stream(info.getAttributes()).forEach(a -> attributes.put(a.getName(), a.getDescription()));
        assertEquals(Set.of("LimitMicroUsd", "Limit", "SpentMicroUsd", "HeldMicroUsd", "RemainingMicroUsd", "Spent", "Calls",
                "Refusals", "WouldRefusals", "Window", "WindowEnd", "Per", "Mode", "TopPartition", "PartitionSpentMicroUsd"),
                attributes.keySet());
        assertTrue(attributes.get("SpentMicroUsd").contains("TopPartition"), attributes.get("SpentMicroUsd"));
        assertTrue(Arrays.stream(info.getAttributes()).noneMatch(MBeanAttributeInfo::isWritable), "read-only");
        assertEquals(0, info.getNotifications().length);
    }

    @Test
    void aNameThatNeedsQuotesIsQuoted() throws Exception {
        assertEquals("dev.llmbudget:type=Budget,name=team_a-1", BudgetMBeans.objectName("team_a-1"));
        assertEquals("odd name", new ObjectName(BudgetMBeans.objectName("odd name")).getKeyProperty("name")
                .transform(ObjectName::unquote));
    }
}
