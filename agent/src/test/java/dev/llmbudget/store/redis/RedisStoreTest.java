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
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.store.StoreException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Redis store's accounting against a real Redis, each test under its own key prefix. */
class RedisStoreTest {
    private static final long HOUR = 3_600_000;

    private final RedisFixture redis = new RedisFixture();
    private RedisStore store;

    @AfterEach
    void cleanUp() {
        if (store != null) {
            store.close();
        }
        redis.close();
    }

    private RedisStore open(RedisOptions options) {
        store = new RedisStore(options);
        return store;
    }

    private static Reservation granted(ReserveResult result) {
        return assertInstanceOf(ReserveResult.Granted.class, result).reservation();
    }

    private static AccountRef account(String key, long limit) {
        return new AccountRef(key.substring(0, key.indexOf('/')), key, limit, 0);
    }

    @Test
    void aOneOffEventIsClaimedOnceAmongStoresSharingThePrefixUntilItExpires() {
        open(redis.options());
        try (RedisStore otherJvm = new RedisStore(redis.options())) {
            assertTrue(store.claimOnce("alert-at:daily/global/2026-11-23:1000000:5000", HOUR));
            assertFalse(otherJvm.claimOnce("alert-at:daily/global/2026-11-23:1000000:5000", HOUR), "claimed already");
            assertFalse(store.claimOnce("alert-at:daily/global/2026-11-23:1000000:5000", HOUR), "claimed already");
            assertTrue(otherJvm.claimOnce("alert-at:daily/global/2026-11-23:1000000:8000", HOUR), "another event");
            long ttl = redis.admin.pttl(redis.prefix + "o:alert-at:daily/global/2026-11-23:1000000:5000");
            assertTrue(ttl > HOUR - 60_000 && ttl <= HOUR, "expires with the event's lifetime: " + ttl);
        }
    }

    @Test
    void aClaimWhileRedisIsOutOfReachIsGrantedRatherThanLost() {
        open(RedisOptions.of("redis://127.0.0.1:1").withKeyPrefix(redis.prefix).withTimeout(Duration.ofMillis(200)));
        assertTrue(store.claimOnce("alert-at:x:1:5000", HOUR));
        assertTrue(store.claimOnce("alert-at:x:1:5000", HOUR), "no Redis: the caller's own memory decides");
    }

    @Test
    void aReservationThatFitsIsHeldAndSettledToItsActualCost() {
        open(redis.options());
        AccountRef daily = account("daily/global/2026-11-23", 1_000);

        Reservation reservation = granted(store.reserve("r1", List.of(daily), 400));

        assertEquals(new Reservation("r1", List.of(daily), 400), reservation);
        assertEquals(new Balance(0, 400), store.balance(daily));
        assertEquals("held", redis.reservationState("r1"));

        store.settle(reservation, 120);
        assertEquals(new Balance(120, 0), store.balance(daily));
        assertEquals("settled", redis.reservationState("r1"));
    }

    @Test
    void aReservationUpToExactlyTheLimitFitsAndOneMicroMoreIsRefusedWithTheBalance() {
        open(redis.options());
        AccountRef daily = account("daily/global/2026-11-23", 1_000);
        store.settle(granted(store.reserve("r1", List.of(daily), 300)), 250);
        granted(store.reserve("r2", List.of(daily), 600));

        ReserveResult refused = store.reserve("r3", List.of(daily), 151);

        ReserveResult.Denied denied = assertInstanceOf(ReserveResult.Denied.class, refused);
        assertEquals(daily, denied.account());
        assertEquals(new Balance(250, 600), denied.balance());
        assertEquals(new Balance(250, 600), store.balance(daily), "a refusal holds nothing");
        assertEquals(null, redis.reservationState("r3"), "a refusal stores no reservation");
        granted(store.reserve("r4", List.of(daily), 150));
    }

    @Test
    void aReservationIsAllOrNoneAcrossAccountsAndTheFirstRefusingAccountInKeyOrderIsNamed() {
        open(redis.options());
        AccountRef roomy = account("a-total/global/total", 10_000);
        AccountRef full = account("b-daily/global/2026-11-23", 500);
        AccountRef alsoFull = account("c-hourly/global/2026-11-23T10", 500);
        store.settle(granted(store.reserve("r1", List.of(full), 500)), 450);
        store.settle(granted(store.reserve("r2", List.of(alsoFull), 500)), 480);

        ReserveResult refused = store.reserve("r3", List.of(alsoFull, roomy, full), 100);

        ReserveResult.Denied denied = assertInstanceOf(ReserveResult.Denied.class, refused);
        assertEquals(full, denied.account(), "b- before c- in key order, whatever order the caller gave");
        assertEquals(new Balance(450, 0), denied.balance());
        assertEquals(new Balance(0, 0), store.balance(roomy), "nothing held in the account that had room");

        Reservation both = granted(store.reserve("r4", List.of(roomy, full), 50));
        assertEquals(List.of(roomy, full), both.accounts());
        assertEquals(new Balance(0, 50), store.balance(roomy));
        assertEquals(new Balance(450, 50), store.balance(full));
    }

    @Test
    void earlierBucketsOfARollingWindowCountAgainstItsLimitButAreNeverWritten() {
        open(redis.options());
        AccountRef earlier = account("rolling/global/b1", 1_000);
        store.settle(granted(store.reserve("r1", List.of(earlier), 700)), 600);
        granted(store.reserve("r2", List.of(earlier), 100)); // still open
        AccountRef current = new AccountRef("rolling", "rolling/global/b2", List.of("rolling/global/b1"), 1_000, 0);

        ReserveResult refused = store.reserve("r3", List.of(current), 301);

        ReserveResult.Denied denied = assertInstanceOf(ReserveResult.Denied.class, refused);
        assertEquals(new Balance(600, 100), denied.balance(), "spent and held of the earlier bucket count");
        Reservation fits = granted(store.reserve("r4", List.of(current), 300));
        assertEquals(new Balance(600, 400), store.balance(current));
        assertEquals(new Balance(600, 100), store.balance(earlier), "the earlier bucket is read, never written");

        store.settle(fits, 200);
        assertEquals(200, redis.spent("rolling/global/b2"));
        assertEquals(600, redis.spent("rolling/global/b1"));
    }

    @Test
    void aSettleRetriedCountsOnceAndAReleaseAfterASettleIsIgnored() {
        open(redis.options());
        AccountRef daily = account("daily/global/2026-11-23", 1_000);
        Reservation reservation = granted(store.reserve("r1", List.of(daily), 400));

        store.settle(reservation, 300);
        store.settle(reservation, 300);
        store.settle(reservation, 350);
        store.release(reservation);

        assertEquals(new Balance(300, 0), store.balance(daily));
        assertEquals("settled", redis.reservationState("r1"));
        assertEquals(0L, store.redis().finish(reservation, 0, true), "the script itself says: already finished");
    }

    @Test
    void aReleaseDropsTheHoldAndASettleAfterItIsIgnored() {
        open(redis.options());
        AccountRef daily = account("daily/global/2026-11-23", 1_000);
        Reservation reservation = granted(store.reserve("r1", List.of(daily), 400));

        store.release(reservation);
        store.release(reservation);
        store.settle(reservation, 100);

        assertEquals(new Balance(0, 0), store.balance(daily));
        assertEquals("released", redis.reservationState("r1"));
    }

    @Test
    void aRetriedReserveOfTheSameIdHoldsOnceAndAFinishedIdCannotBeReused() {
        open(redis.options());
        AccountRef daily = account("daily/global/2026-11-23", 1_000);
        Reservation first = granted(store.reserve("r1", List.of(daily), 400));
        Reservation again = granted(store.reserve("r1", List.of(daily), 400));

        assertEquals(first, again);
        assertEquals(new Balance(0, 400), store.balance(daily));

        store.settle(first, 100);
        StoreException reused = assertThrows(StoreException.class, () -> store.reserve("r1", List.of(daily), 400));
        assertTrue(reused.getMessage().contains("already used"), reused.getMessage());
        assertEquals(new Balance(100, 0), store.balance(daily));
    }

    @Test
    void aReservationLeftOpenPastTheTimeoutIsChargedInFullByTheNextReservesSweep() throws Exception {
        open(redis.options().withReservationTimeout(Duration.ofMillis(200)));
        AccountRef daily = account("daily/global/2026-11-23", 1_000);
        AccountRef other = account("other/global/total", 1_000);
        granted(store.reserve("abandoned", List.of(daily), 400));
        Thread.sleep(100);
        granted(store.reserve("early", List.of(other), 1));
        assertEquals(new Balance(0, 400), store.balance(daily), "not expired yet: still held");

        Thread.sleep(250); // past the 200 ms reservation timeout, by Redis's clock too
        granted(store.reserve("trigger", List.of(other), 1)); // any reservation sweeps, whatever its accounts

        assertEquals(new Balance(400, 0), store.balance(daily), "charged in full");
        assertEquals("expired", redis.reservationState("abandoned"));
        assertTrue(redis.admin.pttl(redis.prefix + "r:abandoned") > 0, "the marker of a finished reservation expires");
        assertFalse(redis.admin.zrange(redis.prefix + "holds", 0, -1).contains("abandoned"));
    }

    @Test
    void aSettleAfterTheReservationWasChargedInFullCorrectsToTheActualCostOnce() throws Exception {
        open(redis.options().withReservationTimeout(Duration.ofMillis(200)));
        AccountRef daily = account("daily/global/2026-11-23", 1_000);
        AccountRef total = account("total/global/total", 10_000);
        Reservation late = granted(store.reserve("late", List.of(daily, total), 400));
        Reservation released = granted(store.reserve("released", List.of(daily), 300));
        Thread.sleep(300);
        granted(store.reserve("trigger", List.of(account("other/global/total", 1_000)), 1));
        assertEquals(new Balance(700, 0), store.balance(daily));

        store.settle(late, 150);
        store.settle(late, 150);
        store.release(released);
        store.release(released);

        assertEquals(new Balance(150, 0), store.balance(daily), "400 charged - 400 + 150, and the release takes its 300 back");
        assertEquals(new Balance(150, 0), store.balance(total));
        assertEquals("settled", redis.reservationState("late"));
        assertEquals("released", redis.reservationState("released"));
    }

    @Test
    void theKillSwitchHaltsEveryCallWithItsValueAndItsRemovalLetsThemThrough() {
        String killSwitch = redis.prefix + "halt";
        open(redis.options().withKillSwitchKey(killSwitch));
        AccountRef daily = account("daily/global/2026-11-23", 1_000);
        redis.admin.set(killSwitch, "halted by ops: incident 42");

        ReserveResult halted = store.reserve("r1", List.of(daily), 100);

        assertEquals(new ReserveResult.Halted("killswitch.redis-key", "halted by ops: incident 42"), halted);
        assertEquals(Balance.EMPTY, store.balance(daily), "nothing held");

        redis.admin.del(killSwitch);
        granted(store.reserve("r2", List.of(daily), 100));
    }

    @Test
    void anAccountKeyExpiresADayAfterItsWindowAndOneThatNeverEndsDoesNot() {
        open(redis.options());
        long end = System.currentTimeMillis() + HOUR;
        AccountRef hourly = new AccountRef("hourly", "hourly/global/10", List.of("hourly/global/09"), 1_000, end);
        AccountRef total = account("total/global/total", 1_000);

        store.settle(granted(store.reserve("r1", List.of(hourly, total), 100)), 50);

        long ttl = redis.pttl("hourly/global/10");
        long expected = end + Duration.ofDays(1).toMillis() - System.currentTimeMillis();
        assertTrue(Math.abs(ttl - expected) < 60_000, "ttl " + ttl + " ms, expected about " + expected);
        assertEquals(-1, redis.pttl("total/global/total"), "no expiry for an account that never ends");
        assertFalse(redis.exists("hourly/global/09"), "an earlier bucket is only read");
    }

    @Test
    void accountsListsThisPrefixsAccountsWithTheirBalancesAndExpiry() {
        open(redis.options());
        long end = System.currentTimeMillis() + HOUR;
        AccountRef daily = new AccountRef("daily", "daily/global/2026-11-23", List.of(), 1_000, end);
        AccountRef total = account("total/global/total", 10_000);
        store.settle(granted(store.reserve("r1", List.of(daily, total), 300)), 200);
        granted(store.reserve("r2", List.of(total), 50));

        assertEquals(List.of(
                        new SpendStore.AccountBalance("daily/global/2026-11-23", new Balance(200, 0), end),
                        new SpendStore.AccountBalance("total/global/total", new Balance(200, 50), 0)),
                store.accounts());
    }

    @Test
    void aSettlementOfTheLocalStoreIsAppliedOnceWhateverHowOftenItIsSent() {
        open(redis.options());
        AccountRef daily = new AccountRef("daily", "daily/global/2026-11-23", List.of(), 1_000,
                System.currentTimeMillis() + HOUR);
        AccountRef ended = new AccountRef("old", "old/global/2020-01-01", List.of(), 1_000, 1_577_923_200_000L);
        SettlementLog.Settlement settlement = new SettlementLog.Settlement("local-1", List.of(daily, ended), 125);

        assertTrue(store.redis().apply(settlement));
        assertFalse(store.redis().apply(settlement));

        assertEquals(new Balance(125, 0), store.balance(daily));
        assertTrue(redis.pttl(daily.key()) > 0);
        assertFalse(redis.exists(ended.key()), "an account whose window and grace are over is not recreated");
    }

    @Test
    void aScriptRedisForgotIsLoadedAgain() {
        open(redis.options());
        AccountRef daily = account("daily/global/2026-11-23", 1_000);
        granted(store.reserve("r1", List.of(daily), 100));

        redis.admin.scriptFlush(); // as after a Redis restart

        store.settle(granted(store.reserve("r2", List.of(daily), 100)), 40);
        assertEquals(new Balance(40, 100), store.balance(daily));
    }

    @Test
    void describeNamesTheServerAndPrefixButNeverAPassword() {
        open(redis.options());
        assertEquals("redis " + RedisFixture.HOST + ":" + RedisFixture.PORT + "/0 prefix " + redis.prefix, store.describe());

        RedisOptions withPassword = RedisOptions.of("redis://app:s3cret@cache.internal:6380/2");
        assertEquals("cache.internal:6380/2", withPassword.location());
        assertFalse(withPassword.toString().contains("s3cret"), withPassword.toString());
        assertEquals("cache.internal:6379/0 tls", RedisOptions.of("rediss://cache.internal").location());
    }

    @Test
    void aMalformedUrlIsRefusedWithoutRepeatingIt() {
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> RedisOptions.of("http://app:s3cret@cache:6379"));
        assertFalse(scheme.getMessage().contains("s3cret"));
        assertThrows(IllegalArgumentException.class, () -> RedisOptions.of("redis://cache:6379/zero"));
        StoreException noPassword = assertThrows(StoreException.class,
                () -> new RedisStore(RedisOptions.of("redis://app@127.0.0.1:6379")));
        assertTrue(noPassword.getMessage().contains("Password not provided"), noPassword.getMessage());
    }

    @Test
    void closeLeavesNoBorrowedConnectionAndCanBeCalledTwice() {
        open(redis.options());
        AccountRef daily = account("daily/global/2026-11-23", 1_000);
        store.settle(granted(store.reserve("r1", List.of(daily), 100)), 40);
        store.balance(daily);
        store.accounts();
        assertEquals(0, store.redis().pool().getNumActive());

        store.close();
        store.close();
    }
}
