package dev.llmbudget.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SettlementLog;
import dev.llmbudget.store.StoreException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis out of reach and back, through a {@link TcpProxy} in front of the real Redis. */
class RedisStoreOutageTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private static final AccountRef DAILY = new AccountRef("daily", "daily/global/2026-11-23", 10_000, 0);
    private static final AccountRef TOTAL = new AccountRef("total", "total/global/total", 100_000, 0);

    private final RedisFixture redis = new RedisFixture();
    private final TcpProxy proxy;
    private RedisStore store;

    RedisStoreOutageTest() throws Exception {
        proxy = new TcpProxy(RedisFixture.HOST, RedisFixture.PORT);
    }

    @AfterEach
    void cleanUp() {
        if (store != null) {
            store.close();
        }
        proxy.close();
        redis.close();
    }

    private RedisOptions throughProxy() {
        return redis.options().withTimeout(TIMEOUT)
                .withLocalSliceMicros(500)
                .withUrl("redis://127.0.0.1:" + proxy.port());
    }

    private static Reservation granted(ReserveResult result) {
        return assertInstanceOf(ReserveResult.Granted.class, result).reservation();
    }

    private void awaitReconciled() {
        RedisFixture.await("Redis reachable again and everything written", RECOVERY, store::reconciled);
    }

    @Test
    void withRefuseACallIsUnavailableAndNothingIsHeld() {
        store = new RedisStore(throughProxy());
        Reservation before = granted(store.reserve("r1", List.of(DAILY), 1_000));
        store.settle(before, 400);

        proxy.cut();
        ReserveResult first = store.reserve("r2", List.of(DAILY, TOTAL), 1_000);
        long start = System.nanoTime();
        ReserveResult second = store.reserve("r3", List.of(DAILY), 1_000);
        long secondMillis = (System.nanoTime() - start) / 1_000_000;

        ReserveResult.Unavailable unavailable = assertInstanceOf(ReserveResult.Unavailable.class, first);
        assertEquals("store.redis.on-unavailable", unavailable.rule());
        assertTrue(unavailable.reason().startsWith("Redis at 127.0.0.1:" + proxy.port() + " cannot be reached ("),
                unavailable.reason());
        assertTrue(unavailable.reason().endsWith("); store.redis.on-unavailable=refuse"), unavailable.reason());
        assertInstanceOf(ReserveResult.Unavailable.class, second);
        assertTrue(secondMillis < 50, "while Redis is marked down a call is answered at once, took " + secondMillis + " ms");
        assertFalse(store.redisReachable());
        assertThrows(StoreException.class, () -> store.balance(DAILY));

        proxy.restore();
        awaitReconciled();
        assertEquals(new Balance(400, 0), store.balance(DAILY), "nothing held by the refused calls");
        assertEquals(Balance.EMPTY, store.balance(TOTAL));
        granted(store.reserve("r4", List.of(DAILY), 1_000));
    }

    @Test
    void aCallIsNotBlockedMuchLongerThanTheTimeoutWhileRedisIsSilent() {
        store = new RedisStore(throughProxy());
        Reservation open = granted(store.reserve("r1", List.of(DAILY), 1_000));
        store.settle(granted(store.reserve("r2", List.of(DAILY), 1_000)), 100);

        proxy.blackhole();
        long start = System.nanoTime();
        ReserveResult first = store.reserve("r3", List.of(DAILY), 1_000);
        long firstMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        ReserveResult second = store.reserve("r4", List.of(DAILY), 1_000);
        store.settle(open, 700); // Redis is marked down: queued, not waited for
        long afterMillis = (System.nanoTime() - start) / 1_000_000;

        assertInstanceOf(ReserveResult.Unavailable.class, first);
        assertTrue(firstMillis < TIMEOUT.toMillis() + 1_000, "blocked " + firstMillis + " ms, timeout " + TIMEOUT);
        assertTrue(firstMillis >= TIMEOUT.toMillis() - 50, "it did wait for Redis: " + firstMillis + " ms");
        assertInstanceOf(ReserveResult.Unavailable.class, second);
        assertTrue(afterMillis < 50, "answered at once while marked down: " + afterMillis + " ms");

        proxy.restore();
        awaitReconciled();
        assertEquals(new Balance(800, 0), store.balance(DAILY), "the settle made while Redis was silent was written");
        assertEquals("settled", redis.reservationState("r1"));
    }

    @Test
    void withLocalCallsAreGrantedWithinTheSliceAndReconciledExactlyOnceRedisIsBack() {
        RecordingLocalStore local = new RecordingLocalStore();
        store = new RedisStore(throughProxy().withOnUnavailable(RedisOptions.OnUnavailable.LOCAL), local);
        store.settle(granted(store.reserve("r1", List.of(DAILY, TOTAL), 1_000)), 1_000);
        Reservation openAtCut = granted(store.reserve("r2", List.of(DAILY), 2_000));

        proxy.cut();
        Reservation a = granted(store.reserve("l1", List.of(DAILY, TOTAL), 200));
        Reservation b = granted(store.reserve("l2", List.of(DAILY, TOTAL), 200));
        ReserveResult overSlice = store.reserve("l3", List.of(DAILY, TOTAL), 200);
        assertFalse(store.redisReachable());
        assertEquals(List.of(DAILY, TOTAL), a.accounts(), "a local grant carries the caller's accounts");

        ReserveResult.Denied denied = assertInstanceOf(ReserveResult.Denied.class, overSlice);
        assertEquals(DAILY.key(), denied.account().key());
        assertEquals(500, denied.account().limitMicros(), "the local slice refused, not the budget");
        assertEquals(new Balance(0, 400), denied.balance());

        store.settle(a, 150);
        store.settle(a, 150);
        store.release(b);
        Reservation c = granted(store.reserve("l4", List.of(DAILY, TOTAL), 300)); // b's 200 came back
        store.settle(openAtCut, 1_200); // granted by Redis: queued until it answers
        assertEquals(List.of(150L, 0L), local.settlements().stream().map(SettlementLog.Settlement::actualMicros).toList());

        proxy.restore();
        awaitReconciled();
        long localSpend = local.settledMicros();
        assertEquals(150, localSpend);
        assertEquals(new Balance(1_000 + 1_200 + localSpend, 0), store.balance(DAILY), "exactly the local settlements");
        assertEquals(new Balance(1_000 + localSpend, 0), store.balance(TOTAL));
        assertEquals(List.of(), local.unacknowledged());

        // a local reservation still open when Redis came back is reconciled when it finishes
        store.settle(c, 275);
        RedisFixture.await("the late local settlement reconciled", RECOVERY,
                () -> store.reconciled() && store.balance(TOTAL).spentMicros() == 1_000 + 150 + 275);
        assertEquals(new Balance(1_000 + 1_200 + 150 + 275, 0), store.balance(DAILY));
        assertEquals(List.of(), local.unacknowledged());

        // and calls go to Redis again
        granted(store.reserve("r3", List.of(DAILY), 100));
        assertEquals(100, redis.held(DAILY.key()));
    }

    @Test
    void theLocalSliceHoldsAcrossOutagesOfOneWindow() {
        RecordingLocalStore local = new RecordingLocalStore();
        store = new RedisStore(throughProxy().withOnUnavailable(RedisOptions.OnUnavailable.LOCAL), local);

        proxy.cut();
        store.settle(granted(store.reserve("l1", List.of(DAILY), 400)), 400);
        proxy.restore();
        awaitReconciled();
        proxy.cut();
        ReserveResult second = store.reserve("l2", List.of(DAILY), 200);

        assertInstanceOf(ReserveResult.Denied.class, second, "400 of the 500 slice were spent in the first outage");
        granted(store.reserve("l3", List.of(DAILY), 100));
        proxy.restore();
        awaitReconciled();
        assertEquals(new Balance(400, 0), store.balance(DAILY));
    }

    @Test
    void settlementsAPreviousRunLeftUnacknowledgedAreReconciledOnStart() {
        RecordingLocalStore local = new RecordingLocalStore();
        local.leftOver(new SettlementLog.Settlement("old-1", List.of(DAILY, TOTAL), 330));
        local.leftOver(new SettlementLog.Settlement("old-2", List.of(DAILY), 0));

        store = new RedisStore(throughProxy(), local); // REFUSE: the local store is only drained

        awaitReconciled();
        assertEquals(new Balance(330, 0), store.balance(DAILY));
        assertEquals(new Balance(330, 0), store.balance(TOTAL));
        assertEquals(List.of(), local.unacknowledged());
    }

    @Test
    void aStoreOpenedWhileRedisIsOutOfReachStartsMarkedDownAndNeverShowsThePassword() {
        proxy.cut();
        store = new RedisStore(throughProxy().withUrl("redis://app:s3cret@127.0.0.1:" + proxy.port()));

        ReserveResult result = store.reserve("r1", List.of(DAILY), 100);

        ReserveResult.Unavailable unavailable = assertInstanceOf(ReserveResult.Unavailable.class, result);
        assertFalse(unavailable.reason().contains("s3cret"), unavailable.reason());
        assertFalse(store.describe().contains("s3cret"), store.describe());
        assertFalse(store.redisReachable());
    }

    @Test
    void closeWhileRedisIsOutOfReachReturnsPromptlyAndClosesTheLocalStore() {
        RecordingLocalStore local = new RecordingLocalStore();
        store = new RedisStore(throughProxy().withOnUnavailable(RedisOptions.OnUnavailable.LOCAL), local);
        Reservation open = granted(store.reserve("r1", List.of(DAILY), 100));
        proxy.blackhole();
        store.settle(open, 50); // waits for the timeout, then queues

        long start = System.nanoTime();
        store.close();
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(millis < 2 * TIMEOUT.toMillis() + 1_000, "close took " + millis + " ms");
        assertTrue(local.closed());
        store = null;
    }
}
