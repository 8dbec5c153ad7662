package dev.llmbudget.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
    private static final AccountRef DAILY = new AccountRef("daily", "2026-11-23", 1_000);
    private static final AccountRef TOTAL = new AccountRef("total", "total", 5_000);

    private final MemoryStore store = new MemoryStore();

    private Reservation granted(ReserveResult result) {
        return assertInstanceOf(ReserveResult.Granted.class, result).reservation();
    }

    @Test
    void anUnknownAccountIsEmpty() {
        assertEquals(Balance.EMPTY, store.balance("daily", "2026-11-23"));
    }

    @Test
    void aReservationThatFitsIsHeld() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY), 400));

        assertEquals("r1", reservation.id());
        assertEquals(400, reservation.amountMicros());
        assertEquals(List.of(DAILY), reservation.accounts());
        assertEquals(new Balance(0, 400), store.balance("daily", "2026-11-23"));
    }

    @Test
    void aReservationUpToExactlyTheLimitFits() {
        granted(store.reserve("r1", List.of(DAILY), 600));
        granted(store.reserve("r2", List.of(DAILY), 400));
        assertEquals(new Balance(0, 1_000), store.balance("daily", "2026-11-23"));
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
        assertEquals(new Balance(250, 600), store.balance("daily", "2026-11-23"), "a refusal holds nothing");
        // what remains still fits
        granted(store.reserve("r4", List.of(DAILY), 150));
    }

    @Test
    void settleReplacesTheHoldWithTheActualCost() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY), 800));
        store.settle(reservation, 120);

        assertEquals(new Balance(120, 0), store.balance("daily", "2026-11-23"));
        granted(store.reserve("r2", List.of(DAILY), 880));
    }

    @Test
    void settleMayChargeMoreThanWasHeld() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY), 100));
        store.settle(reservation, 1_200);

        assertEquals(new Balance(1_200, 0), store.balance("daily", "2026-11-23"));
        assertInstanceOf(ReserveResult.Denied.class, store.reserve("r2", List.of(DAILY), 0));
    }

    @Test
    void releaseFreesTheHold() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY), 1_000));
        assertInstanceOf(ReserveResult.Denied.class, store.reserve("r2", List.of(DAILY), 1));

        store.release(reservation);

        assertEquals(Balance.EMPTY.spentMicros(), store.balance("daily", "2026-11-23").spentMicros());
        assertEquals(new Balance(0, 0), store.balance("daily", "2026-11-23"));
        granted(store.reserve("r3", List.of(DAILY), 1_000));
    }

    @Test
    void aReservationIsHeldInEveryAccount() {
        Reservation reservation = granted(store.reserve("r1", List.of(DAILY, TOTAL), 700));

        assertEquals(new Balance(0, 700), store.balance("daily", "2026-11-23"));
        assertEquals(new Balance(0, 700), store.balance("total", "total"));

        store.settle(reservation, 500);
        assertEquals(new Balance(500, 0), store.balance("daily", "2026-11-23"));
        assertEquals(new Balance(500, 0), store.balance("total", "total"));
    }

    @Test
    void severalAccountsAreAllOrNothing() {
        AccountRef tight = new AccountRef("a-tight", "total", 100);
        AccountRef roomy = new AccountRef("z-roomy", "total", 10_000);
        AccountRef middle = new AccountRef("m-middle", "total", 10_000);

        // the refusing account sorts first, in the middle and last: the others never keep a hold
        for (List<AccountRef> refs : List.of(List.of(roomy, tight, middle), List.of(tight, roomy), List.of(roomy, middle,
                new AccountRef("zz-tight", "total", 100)))) {
            ReserveResult result = store.reserve("r", refs, 500);
            ReserveResult.Denied denied = assertInstanceOf(ReserveResult.Denied.class, result);
            assertEquals(100, denied.account().limitMicros());
            assertEquals(Balance.EMPTY, denied.balance());
            assertEquals(Balance.EMPTY, store.balance("z-roomy", "total"));
            assertEquals(Balance.EMPTY, store.balance("m-middle", "total"));
        }
    }

    @Test
    void eachAccountIsCheckedAgainstItsOwnBalance() {
        AccountRef small = new AccountRef("small", "total", 1_000);
        AccountRef big = new AccountRef("big", "total", 10_000);
        granted(store.reserve("only-big", List.of(big), 9_500));

        ReserveResult.Denied denied = assertInstanceOf(ReserveResult.Denied.class,
                store.reserve("both", List.of(small, big), 600));
        assertEquals(big, denied.account());
        assertEquals(new Balance(0, 9_500), denied.balance());
        assertEquals(Balance.EMPTY, store.balance("small", "total"));
    }

    @Test
    void windowsOfOneBudgetAreSeparateAccounts() {
        AccountRef today = new AccountRef("daily", "2026-11-23", 1_000);
        AccountRef tomorrow = new AccountRef("daily", "2026-11-24", 1_000);
        store.settle(granted(store.reserve("r1", List.of(today), 1_000)), 1_000);

        assertInstanceOf(ReserveResult.Denied.class, store.reserve("r2", List.of(today), 1));
        granted(store.reserve("r3", List.of(tomorrow), 1_000));
        assertEquals(new Balance(1_000, 0), store.balance("daily", "2026-11-23"));
        assertEquals(new Balance(0, 1_000), store.balance("daily", "2026-11-24"));
    }

    @Test
    void aCallUnderNoBudgetIsGrantedAndHoldsNothing() {
        Reservation reservation = granted(store.reserve("free", List.of(), 1_000_000));
        assertEquals(List.of(), reservation.accounts());
        store.settle(reservation, 5);
        store.release(reservation);
    }

    @Test
    void accountRefsSortByBudgetThenWindow() {
        AccountRef a1 = new AccountRef("a", "2026-11-24", 1);
        AccountRef a0 = new AccountRef("a", "2026-11-23", 99);
        AccountRef b = new AccountRef("b", "total", 1);
        List<AccountRef> sorted = new java.util.ArrayList<>(List.of(b, a1, a0));
        java.util.Collections.sort(sorted);
        assertEquals(List.of(a0, a1, b), sorted);
    }
}
