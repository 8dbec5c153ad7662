package dev.llmbudget.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
    private static final AccountRef DAILY = new AccountRef("daily", "daily/global/2026-11-23", 1_000, 0);
    private static final AccountRef TOTAL = new AccountRef("total", "total/global/total", 5_000, 0);

    private final MemoryStore store = new MemoryStore();

    private Reservation granted(ReserveResult result) {
        return assertInstanceOf(ReserveResult.Granted.class, result).reservation();
    }

    @Test
    void anUnknownAccountIsEmpty() {
        assertEquals(Balance.EMPTY, store.balance(DAILY));
    }

    @Test
    void aReservationThatFitsIsHeld() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY), 400));

        assertEquals("r1", reservation.id());
        assertEquals(400, reservation.amountMicros());
        assertEquals(List.of(DAILY), reservation.accounts());
        assertEquals(new Balance(0, 400), store.balance(DAILY));
    }

    @Test
    void aReservationUpToExactlyTheLimitFits() {
        granted(store.reserve("r1", List.of(DAILY), 600));
        granted(store.reserve("r2", List.of(DAILY), 400));
        assertEquals(new Balance(0, 1_000), store.balance(DAILY));
    }

    @Test
    void aReservationThatWouldExceedTheLimitIsRefusedWithTheBalance() {
        Reservation first = granted(store.reserve("r1", List.of(DAILY), 300));
        store.settle(first, 250);
        granted(store.reserve("r2", List.of(DAILY), 600));

        ReserveResult result = store.reserve("r3", List.of(DAILY), 151);

        ReserveResult.Denied denied = assertInstanceOf(ReserveResult.Denied.class, result);
        assertEquals(DAILY, denied.account());
        assertEquals(new Balance(250, 600), denied.balance());
        assertEquals(new Balance(250, 600), store.balance(DAILY), "a refusal holds nothing");
        // what remains still fits
        granted(store.reserve("r4", List.of(DAILY), 150));
    }

    @Test
    void settleReplacesTheHoldWithTheActualCost() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY), 800));
        store.settle(reservation, 120);

        assertEquals(new Balance(120, 0), store.balance(DAILY));
        granted(store.reserve("r2", List.of(DAILY), 880));
    }

    @Test
    void settleMayChargeMoreThanWasHeld() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY), 100));
        store.settle(reservation, 1_200);

        assertEquals(new Balance(1_200, 0), store.balance(DAILY));
        assertInstanceOf(ReserveResult.Denied.class, store.reserve("r2", List.of(DAILY), 0));
    }

    @Test
    void releaseFreesTheHold() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY), 1_000));
        assertInstanceOf(ReserveResult.Denied.class, store.reserve("r2", List.of(DAILY), 1));

        store.release(reservation);

        assertEquals(Balance.EMPTY.spentMicros(), store.balance(DAILY).spentMicros());
        assertEquals(new Balance(0, 0), store.balance(DAILY));
        granted(store.reserve("r3", List.of(DAILY), 1_000));
    }

    @Test
    void aReservationIsHeldInEveryAccount() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY, TOTAL), 700));

        assertEquals(new Balance(0, 700), store.balance(DAILY));
        assertEquals(new Balance(0, 700), store.balance(TOTAL));

        store.settle(reservation, 500);
        assertEquals(new Balance(500, 0), store.balance(DAILY));
        assertEquals(new Balance(500, 0), store.balance(TOTAL));
    }

    @Test
    void severalAccountsAreAllOrNothing() {
        AccountRef tight = new AccountRef("a-tight", "a-tight/global/total", 100, 0);
        AccountRef roomy = new AccountRef("z-roomy", "z-roomy/global/total", 10_000, 0);
        AccountRef middle = new AccountRef("m-middle", "m-middle/global/total", 10_000, 0);

        // the refusing account sorts first, in the middle and last: the others never keep a hold
        for (List<AccountRef> refs : List.of(List.of(roomy, tight, middle), List.of(tight, roomy), List.of(roomy, middle,
                new AccountRef("zz-tight", "zz-tight/global/total", 100, 0)))) {
            ReserveResult result = store.reserve("r", refs, 500);
            ReserveResult.Denied denied = assertInstanceOf(ReserveResult.Denied.class, result);
            assertEquals(100, denied.account().limitMicros());
            assertEquals(Balance.EMPTY, denied.balance());
            assertEquals(Balance.EMPTY, store.balance(roomy));
            assertEquals(Balance.EMPTY, store.balance(middle));
        }
    }

    @Test
    void eachAccountIsCheckedAgainstItsOwnBalance() {
        AccountRef small = new AccountRef("small", "small/global/total", 1_000, 0);
        AccountRef big = new AccountRef("big", "big/global/total", 10_000, 0);
        granted(store.reserve("only-big", List.of(big), 9_500));

        ReserveResult.Denied denied = assertInstanceOf(ReserveResult.Denied.class,
                store.reserve("both", List.of(small, big), 600));
        assertEquals(big, denied.account());
        assertEquals(new Balance(0, 9_500), denied.balance());
        assertEquals(Balance.EMPTY, store.balance(small));
    }

    @Test
    void windowsOfOneBudgetAreSeparateAccounts() {
        AccountRef today = new AccountRef("daily", "daily/global/2026-11-23", 1_000, 0);
        AccountRef tomorrow = new AccountRef("daily", "daily/global/2026-11-24", 1_000, 0);
        store.settle(granted(store.reserve("r1", List.of(today), 1_000)), 1_000);

        assertInstanceOf(ReserveResult.Denied.class, store.reserve("r2", List.of(today), 1));
        granted(store.reserve("r3", List.of(tomorrow), 1_000));
        assertEquals(new Balance(1_000, 0), store.balance(DAILY));
        assertEquals(new Balance(0, 1_000), store.balance(tomorrow));
    }

    @Test
    void earlierBucketsOfARollingWindowCountAgainstItsLimit() {
        AccountRef older = new AccountRef("rolling", "rolling/global/r-1", 1_000, 0);
        AccountRef current = new AccountRef("rolling", "rolling/global/r-2", List.of("rolling/global/r-1"), 1_000, 0);
        store.settle(granted(store.reserve("old", List.of(older), 700)), 600);

        ReserveResult.Denied denied = assertInstanceOf(ReserveResult.Denied.class, store.reserve("new", List.of(current), 401));
        assertEquals(new Balance(600, 0), denied.balance());
        granted(store.reserve("fits", List.of(current), 400));
        assertEquals(new Balance(600, 400), store.balance(current));
        assertEquals(new Balance(600, 0), store.balance(older), "the earlier bucket is read, never written");
    }

    @Test
    void expiredAccountsAreForgottenOnceNothingIsHeldInThem() {
        AccountRef ended = new AccountRef("hourly", "hourly/global/h1", 1_000, 5_000);
        Reservation open = granted(store.reserve("open", List.of(ended), 100));
        store.forgetExpired(6_000);
        assertEquals(new Balance(0, 100), store.balance(ended), "a hold keeps its account");
        store.settle(open, 50);
        store.forgetExpired(6_000);
        assertEquals(Balance.EMPTY, store.balance(ended));
    }

    @Test
    void aSettleOrReleaseTakesEffectOnceForAReservationId() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY), 800));
        store.settle(reservation, 300);
        store.settle(reservation, 300);
        store.release(reservation);
        assertEquals(new Balance(300, 0), store.balance(DAILY), "counted once");

        granted(store.reserve("r2", List.of(DAILY), 100));
        assertThrows(StoreException.class, () -> store.reserve("r2", List.of(DAILY), 100), "an id already open is not held twice");
        assertEquals(new Balance(300, 100), store.balance(DAILY));
    }

    @Test
    void accountsListsWhatHasSpendOrHoldsByKey() {
        store.settle(granted(store.reserve("r1", List.of(TOTAL, DAILY), 500)), 200);
        assertInstanceOf(ReserveResult.Denied.class, store.reserve("big", List.of(new AccountRef("tiny", "tiny/global/total", 1, 0)), 5));
        assertEquals(List.of(new SpendStore.AccountBalance("daily/global/2026-11-23", new Balance(200, 0), 0),
                new SpendStore.AccountBalance("total/global/total", new Balance(200, 0), 0)), store.accounts(),
                "the refused call's empty account is not listed");
    }

    @Test
    void creatingAnAccountSweepsAwayThoseWhoseWindowHasEnded() {
        MemoryStore sweeping = new MemoryStore(0);
        AccountRef ended = new AccountRef("minute", "minute/global/2020-01-01T00:00", 1_000, 1);
        sweeping.settle(granted(sweeping.reserve("old", List.of(ended), 100)), 60);
        assertEquals(new Balance(60, 0), sweeping.balance(ended));

        granted(sweeping.reserve("new", List.of(DAILY), 100));

        assertEquals(Balance.EMPTY, sweeping.balance(ended), "the ended window's account went when a new one was made");
        assertEquals(new Balance(0, 100), sweeping.balance(DAILY));
    }

    @Test
    void aCallUnderNoBudgetIsGrantedAndHoldsNothing() {
        Reservation reservation = granted(store.reserve("free", List.of(), 1_000_000));
        assertEquals(List.of(), reservation.accounts());
        store.settle(reservation, 5);
        store.release(reservation);
    }

    @Test
    void accountRefsSortByKey() {
        AccountRef a1 = new AccountRef("a", "a/global/2026-11-24", 1, 0);
        AccountRef a0 = new AccountRef("a", "a/global/2026-11-23", 99, 0);
        AccountRef b = new AccountRef("b", "b/global/total", 1, 0);
        List<AccountRef> sorted = new java.util.ArrayList<>(List.of(b, a1, a0));
        java.util.Collections.sort(sorted);
        assertEquals(List.of(a0, a1, b), sorted);
    }
}
