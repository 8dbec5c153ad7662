package dev.llmbudget.ops.alerts;

import static dev.llmbudget.ops.alerts.Receiver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.core.Alert;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.Partition;
import dev.llmbudget.pricing.Money;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.store.ConcurrentWorkers;
import dev.llmbudget.store.SpendStore;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class ThresholdWatchTest {
    private static final long DOLLAR = 1_000_000;
    private static final Instant T = Instant.parse("2099-11-23T15:00:00Z");
    private static final InstantSource FIXED = InstantSource.fixed(T);

    private final MemoryStore store = new MemoryStore();
    private final List<Alert> raised = new CopyOnWriteArrayList<>();
    @AutoClose
    final Closer closer = new Closer();

    private ThresholdWatch watch(SpendStore spend, BudgetSpec budget, Integer... thresholds) {
        return closer.add(ThresholdWatch.start(spend, raised::add,
                List.of(new ThresholdWatch.Watched(budget, List.of(thresholds))), FIXED));
    }

    /** Charges the call in the store, hands its record to the watch and waits for the watch's check. */
    private void spend(ThresholdWatch watch, AccountRef account, long micros, Instant at, String tenant)
            throws InterruptedException {
        watch.record(Calls.charge(store, account, micros, at, tenant));
        checked(watch);
    }

    private static void checked(ThresholdWatch watch) throws InterruptedException {
        await("the watch to check what is dirty", 10, watch::idle);
    }

    @Test
    void sixteenThreadsCrossingThreeThresholdsPostExactlyThreeAlertsAscending() throws Exception {
        BudgetSpec daily = Calls.budget("daily", DOLLAR, "day", Partition.GLOBAL);
        Instant now = Clock.systemUTC().instant();
        AccountRef account = Calls.account(daily, "global", now);
        List<String> warnings = new CopyOnWriteArrayList<>();
        Receiver receiver = closer.add(new Receiver());
        WebhookSender sender = closer.add(WebhookSender.start(
                new WebhookSender.Settings(receiver.url(), Duration.ofSeconds(5), 3, 100), warnings::add, 200));
        AlertDispatcher dispatcher = new AlertDispatcher(sender, warnings::add);
        ThresholdWatch watch = closer.add(ThresholdWatch.start(store, dispatcher,
                List.of(new ThresholdWatch.Watched(daily, List.of(9500, 5000, 8000))), Clock.systemUTC()));

        int threads = 16;
        int callsEach = 60;
        ConcurrentWorkers.runTogether(threads, 30, thread -> {
            for (int i = 0; i < callsEach; i++) {
                watch.record(Calls.charge(store, account, 1_000, now, null));
            }
        });
        assertEquals(threads * callsEach * 1_000L, store.balance(account).spentMicros());

        await("three POSTs and nothing left to check or send", 20,
                () -> receiver.requests().size() >= 3 && watch.idle() && sender.idle());
        List<JsonNode> bodies = receiver.bodies();
        assertEquals(3, bodies.size(), bodies::toString);
        int[] percents = {50, 80, 95};
        for (int i = 0; i < 3; i++) {
            JsonNode body = bodies.get(i);
            assertEquals(percents[i], body.get("percent").intValue());
            assertTrue(body.get("percent").isIntegralNumber());
            assertEquals("threshold", body.get("kind").asText());
            assertEquals("budget.daily.alert-at", body.get("rule").asText());
            assertEquals("daily", body.get("budget").asText());
            assertEquals("global", body.get("partition").asText());
            assertEquals("1.00", body.get("limitUsd").asText());
            assertEquals(DOLLAR, body.get("limitMicroUsd").longValue());
            long spent = body.get("spentMicroUsd").longValue();
            assertTrue(spent >= percents[i] * 10_000L && spent <= 960_000, "spent " + spent);
            assertEquals(Money.format(spent).substring(1), body.get("spentUsd").asText());
            assertEquals(daily.window().endAt(now).toString(), body.get("windowEnd").asText());
            assertTrue(body.get("text").asText().contains("reached " + percents[i] + "% of $1.00"), body.toString());
            assertEquals("application/json", receiver.requests().get(i).contentType());
        }
        assertEquals(3, warnings.stream().filter(line -> line.startsWith("ALERT budget 'daily' (global) reached")).count(),
                warnings::toString);
        assertEquals(3, warnings.size(), warnings::toString);
    }

    @Test
    void aNewCalendarWindowReArmsItsThresholds() throws Exception {
        BudgetSpec perMinute = Calls.budget("minutely", DOLLAR, "minute", Partition.GLOBAL);
        ThresholdWatch watch = watch(store, perMinute, 5000);
        Instant first = T;
        AccountRef minute1 = Calls.account(perMinute, "global", first);
        spend(watch, minute1, 600_000, first, null);
        spend(watch, minute1, 100_000, first.plusSeconds(10), null);
        assertEquals(1, raised.size(), raised::toString);
        assertEquals(Instant.parse("2099-11-23T15:01:00Z"), raised.get(0).windowEnd());

        Instant second = first.plusSeconds(60);
        AccountRef minute2 = Calls.account(perMinute, "global", second);
        spend(watch, minute2, 400_000, second, null);
        assertEquals(1, raised.size(), "40% of the new minute is under the threshold");
        spend(watch, minute2, 100_000, second.plusSeconds(1), null);
        assertEquals(2, raised.size(), raised::toString);
        Alert again = raised.get(1);
        assertEquals(Instant.parse("2099-11-23T15:02:00Z"), again.windowEnd());
        assertEquals(500_000, again.spentMicros());
        assertEquals("budget 'minutely' (global) reached 50% of $1.00: spent $0.50, window ends 2099-11-23T15:02Z",
                again.message());

        spend(watch, minute1, 100_000, first.plusSeconds(20), null);
        assertEquals(2, raised.size(), "a late call in the old minute does not fire it again");
    }

    @Test
    void aRollingWindowFiresOnceAndReArmsWhenItsSpendIsSeenBelowAgain() throws Exception {
        BudgetSpec hourly = Calls.budget("hourly", DOLLAR, "rolling-60m", Partition.GLOBAL);
        ThresholdWatch watch = watch(store, hourly, 5000);
        AccountRef bucket = Calls.account(hourly, "global", T);
        watch.record(Calls.charge(store, bucket, 300_000, T, null));
        AccountRef nextBucket = Calls.account(hourly, "global", T.plusSeconds(60));
        spend(watch, nextBucket, 300_000, T.plusSeconds(60), null);
        assertEquals(1, raised.size(), raised::toString);
        assertNull(raised.get(0).windowEnd(), "a rolling window has no end");
        assertTrue(raised.get(0).message().endsWith("spent $0.60, window rolling 1h"), raised.get(0).message());

        Instant later = T.plusSeconds(60 * 30);
        spend(watch, Calls.account(hourly, "global", later), 10_000, later, null);
        assertEquals(1, raised.size(), "still 61% in the window: no second alert");

        Instant afterTheHour = T.plus(Duration.ofMinutes(62));
        AccountRef fresh = Calls.account(hourly, "global", afterTheHour);
        spend(watch, fresh, 10_000, afterTheHour, null);
        assertEquals(1, raised.size(), "the early spend left the window: 2% now, re-armed");
        spend(watch, fresh, 500_000, afterTheHour, null);
        assertEquals(2, raised.size(), raised::toString);
        assertEquals(520_000, raised.get(1).spentMicros(), "the mid-hour call still counts");
    }

    @Test
    void eachPartitionAlertsOnItsOwn() throws Exception {
        BudgetSpec daily = Calls.budget("daily", DOLLAR, "day", Partition.TENANT);
        ThresholdWatch watch = watch(store, daily, 8000);
        AccountRef acme = Calls.account(daily, "tenant=acme", T);
        AccountRef globex = Calls.account(daily, "tenant=globex", T);
        spend(watch, acme, 850_000, T, "acme");
        spend(watch, globex, 100_000, T, "globex");
        assertEquals(1, raised.size());
        watch.record(Calls.charge(store, globex, 800_000, T, "globex"));
        spend(watch, acme, 10_000, T, "acme");

        assertEquals(2, raised.size(), raised::toString);
        assertEquals("budget 'daily' (tenant acme) reached 80% of $1.00: spent $0.85, window ends 2099-11-24T00:00Z",
                raised.get(0).message());
        assertEquals("tenant acme", raised.get(0).partition());
        assertEquals("tenant globex", raised.get(1).partition());
        assertEquals(900_000, raised.get(1).spentMicros());
        assertEquals(8000, raised.get(1).thresholdBasisPoints());
        assertEquals(Alert.Kind.THRESHOLD, raised.get(1).kind());
        assertEquals(T, raised.get(1).time());
    }

    @Test
    void aReloadKeepsWhatFiredForBudgetsThatStayAndForgetsRemovedOnes() throws Exception {
        BudgetSpec daily = Calls.budget("daily", DOLLAR, "day", Partition.GLOBAL);
        ThresholdWatch watch = watch(store, daily, 5000);
        AccountRef account = Calls.account(daily, "global", T);
        spend(watch, account, 600_000, T, null);
        assertEquals(1, raised.size());

        BudgetSpec weekly = Calls.budget("weekly", 10 * DOLLAR, "week", Partition.GLOBAL);
        watch.update(List.of(new ThresholdWatch.Watched(daily, List.of(5000, 9000)),
                new ThresholdWatch.Watched(weekly, List.of(5000))));
        spend(watch, account, 100_000, T, null);
        assertEquals(1, raised.size(), "50% fired before the reload");
        spend(watch, account, 250_000, T, null);
        assertEquals(2, raised.size());
        assertEquals(9000, raised.get(1).thresholdBasisPoints());

        watch.update(List.of(new ThresholdWatch.Watched(weekly, List.of(5000))));
        spend(watch, account, 10_000, T, null);
        assertEquals(2, raised.size(), "a budget no longer watched raises nothing");
        watch.update(List.of(new ThresholdWatch.Watched(daily, List.of(5000, 9000))));
        spend(watch, account, 10_000, T, null);
        assertEquals(4, raised.size(), "a budget watched again starts afresh: " + raised);
    }

    @Test
    void aCallChargedNothingTriggersNoCheck() throws Exception {
        BudgetSpec daily = Calls.budget("daily", DOLLAR, "day", Partition.GLOBAL);
        ThresholdWatch watch = watch(store, daily, 5000);
        AccountRef account = Calls.account(daily, "global", T);
        store.seed(account.key(), 700_000, account.expiresAtMillis());
        watch.record(Calls.settled(account, 0, T, null));
        checked(watch);
        assertEquals(List.of(), raised);
        watch.record(Calls.settled(account, 1, T, null));
        checked(watch);
        assertEquals(1, raised.size());
    }

    @Test
    void aStoreThatCannotBeReadIsAskedAgainAndTheAlertStillFires() throws Exception {
        AtomicInteger failures = new AtomicInteger(1);
        SpendStore flaky = (SpendStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SpendStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("balance") && failures.getAndDecrement() > 0) {
                        throw new IllegalStateException("store away");
                    }
                    return method.invoke(store, args);
                });
        BudgetSpec daily = Calls.budget("daily", DOLLAR, "day", Partition.GLOBAL);
        ThresholdWatch watch = watch(flaky, daily, 5000);
        watch.record(Calls.charge(flaky, Calls.account(daily, "global", T), 600_000, T, null));
        await("the alert after the store came back", 10, () -> raised.size() == 1);
        checked(watch);
        assertEquals(1, raised.size());
    }
}
