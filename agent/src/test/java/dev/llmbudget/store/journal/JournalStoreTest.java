package dev.llmbudget.store.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SettlementLog.Settlement;
import dev.llmbudget.store.SpendStore.AccountBalance;
import dev.llmbudget.store.StoreException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JournalStoreTest {
    private static final AccountRef DAILY = JournalHolder.DAILY;
    private static final AccountRef TOTAL = new AccountRef("total", "total/global/total", 5_000_000, 0);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock("2026-11-23T10:00:00Z");
    private final List<JournalStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(JournalStore::close);
    }

    private Path journal() {
        return dir.resolve("state/llm-budget.journal");
    }

    private JournalStore open() {
        return open(false);
    }

    private JournalStore open(boolean keepSettlements) {
        JournalStore store = JournalStore.open(journal(), Duration.ofHours(1), keepSettlements, clock);
        opened.add(store);
        return store;
    }

    private static Reservation granted(ReserveResult result) {
        return assertInstanceOf(ReserveResult.Granted.class, result).reservation();
    }

    private List<String> lines() throws Exception {
        return Files.readAllLines(journal(), StandardCharsets.US_ASCII);
    }

    @Test
    void reservesSettlesAndReleasesSurviveARestart() {
        JournalStore store = open();
        store.settle(granted(store.reserve("r1", List.of(DAILY, TOTAL), 400)), 250);
        store.release(granted(store.reserve("r2", List.of(DAILY), 300)));
        store.settle(granted(store.reserve("r3", List.of(TOTAL), 100)), 100);
        store.close();

        JournalStore reopened = open();
        assertEquals(new Balance(250, 0), reopened.balance(DAILY));
        assertEquals(new Balance(350, 0), reopened.balance(TOTAL));
        assertEquals(List.of(new AccountBalance(DAILY.key(), new Balance(250, 0), 0),
                new AccountBalance(TOTAL.key(), new Balance(350, 0), 0)), reopened.accounts());
        assertEquals(List.of(), reopened.openWarnings());
        assertEquals("journal " + journal(), reopened.describe());
    }

    @Test
    void aClaimHoldsAcrossARestartAndACompactionUntilItExpires() throws Exception {
        JournalStore store = open();
        assertTrue(store.claimOnce("alert-at:daily/global/2026-11-23:1000000:5000", Duration.ofHours(2).toMillis()));
        assertFalse(store.claimOnce("alert-at:daily/global/2026-11-23:1000000:5000", Duration.ofHours(2).toMillis()));
        assertTrue(store.claimOnce("alert-at:daily/global/2026-11-23:1000000:8000", Duration.ofMinutes(30).toMillis()));
        assertTrue(store.claimOnce("a key the journal cannot carry", 60_000), "claimed in memory all the same");
        assertFalse(store.claimOnce("a key the journal cannot carry", 60_000));
        assertTrue(last(lines()).startsWith("claim alert-at:daily/global/2026-11-23:1000000:8000 "
                + (clock.millis() + Duration.ofMinutes(30).toMillis()) + " *"), last(lines()));
        store.crash();

        JournalStore restarted = open();
        assertFalse(restarted.claimOnce("alert-at:daily/global/2026-11-23:1000000:5000", 1), "claimed by the JVM before");
        assertFalse(restarted.claimOnce("alert-at:daily/global/2026-11-23:1000000:8000", 1));
        clock.advance(Duration.ofHours(1));
        restarted.compact();
        assertTrue(lines().stream().anyMatch(line -> line.startsWith("claim alert-at:daily/global/2026-11-23:1000000:5000 ")),
                "a live claim is kept by compaction: " + lines());
        assertTrue(lines().stream().noneMatch(line -> line.contains(":8000 ")), "an expired one is dropped: " + lines());
        assertTrue(restarted.claimOnce("alert-at:daily/global/2026-11-23:1000000:8000", 1), "expired: the event may happen again");
        restarted.close();

        JournalStore again = open();
        assertFalse(again.claimOnce("alert-at:daily/global/2026-11-23:1000000:5000", 1), "the compacted file still holds it");
    }

    @Test
    void everyEventIsInTheFileWhenTheCallReturns() throws Exception {
        JournalStore store = open();
        assertTrue(lines().get(0).startsWith("llm-budget-journal 1 "), "a journal starts with its header");

        Reservation reservation = granted(store.reserve("r1", List.of(DAILY), 400));
        assertTrue(last(lines()).startsWith("reserve " + clock.millis() + " r1 400 daily|daily/global/2026-11-23|1000000|0 *"),
                last(lines()));
        store.settle(reservation, 250);
        assertTrue(last(lines()).startsWith("settle " + clock.millis() + " r1 250 *"), last(lines()));
        store.release(granted(store.reserve("r2", List.of(DAILY), 10)));
        assertTrue(last(lines()).startsWith("release " + clock.millis() + " r2 *"), last(lines()));
    }

    @Test
    void aReservationLeftOpenByACrashIsChargedInFull() {
        JournalStore store = open();
        Reservation open = granted(store.reserve("r1", List.of(DAILY, TOTAL), 400));
        store.settle(granted(store.reserve("r2", List.of(DAILY), 300)), 100);
        store.crash();

        JournalStore reopened = open();
        assertEquals(new Balance(500, 0), reopened.balance(DAILY));
        assertEquals(new Balance(400, 0), reopened.balance(TOTAL));
        assertEquals(1, reopened.openWarnings().size());
        assertTrue(reopened.openWarnings().get(0).startsWith("1 reservation(s) left open in the spend journal " + journal()),
                reopened.openWarnings().get(0));
        assertTrue(reopened.openWarnings().get(0).endsWith("charged in full, $0.0004 in total"), reopened.openWarnings().get(0));

        reopened.settle(open, 10); // its JVM is gone; charged in full already, so the late settle is ignored
        assertEquals(new Balance(500, 0), reopened.balance(DAILY));
        reopened.close();

        JournalStore again = open();
        assertEquals(new Balance(500, 0), again.balance(DAILY), "charged once, not at every open");
        assertEquals(List.of(), again.openWarnings());
    }

    @Test
    void aSettleOrReleaseTakesEffectOnceAcrossARestart() {
        JournalStore store = open();
        Reservation first = granted(store.reserve("r1", List.of(DAILY), 400));
        store.settle(first, 100);
        store.settle(first, 999);
        store.release(first);
        Reservation second = granted(store.reserve("r2", List.of(DAILY), 300));
        store.release(second);
        store.settle(second, 50);
        assertEquals(new Balance(100, 0), store.balance(DAILY));
        store.close();

        JournalStore reopened = open();
        assertEquals(new Balance(100, 0), reopened.balance(DAILY));
        reopened.settle(first, 999);
        assertEquals(new Balance(100, 0), reopened.balance(DAILY));
    }

    @Test
    void aTornLastLineIsIgnoredAndCutAndAppendsContinue() throws Exception {
        JournalStore store = open();
        store.settle(granted(store.reserve("r1", List.of(DAILY), 400)), 100);
        store.crash();
        Files.writeString(journal(), "settle 1763892000000 r1 12", StandardOpenOption.APPEND); // no checksum, no newline

        JournalStore reopened = open();
        assertEquals(new Balance(100, 0), reopened.balance(DAILY));
        assertTrue(reopened.openWarnings().get(0).contains("26 byte(s) of an incomplete or damaged last line"),
                reopened.openWarnings().toString());
        assertTrue(Files.readString(journal()).endsWith("\n"), "the torn line is gone before anything is appended");
        reopened.settle(granted(reopened.reserve("r2", List.of(DAILY), 300)), 200);
        reopened.close();

        assertEveryLineDecodes();
        JournalStore again = open();
        assertEquals(new Balance(300, 0), again.balance(DAILY));
        assertEquals(List.of(), again.openWarnings());
    }

    @Test
    void aWholeLastLineWithABadChecksumIsTreatedAsTorn() throws Exception {
        JournalStore store = open();
        store.settle(granted(store.reserve("r1", List.of(DAILY), 400)), 100);
        store.close();
        Files.writeString(journal(), "settle 1763892000000 r2 12 *00000000\n", StandardOpenOption.APPEND);

        JournalStore reopened = open();
        assertEquals(new Balance(100, 0), reopened.balance(DAILY));
        assertTrue(reopened.openWarnings().get(0).contains("37 byte(s)"), reopened.openWarnings().toString());
    }

    @Test
    void aDamagedLineInTheMiddleIsSkippedSoItsReservationIsChargedInFull() throws Exception {
        JournalStore store = open();
        store.settle(granted(store.reserve("r1", List.of(DAILY), 400)), 100);
        store.settle(granted(store.reserve("r2", List.of(DAILY), 50)), 50);
        store.close();
        List<String> lines = lines();
        int settle = lines.indexOf(lines.stream().filter(l -> l.startsWith("settle ") && l.contains(" r1 100 ")).findFirst().orElseThrow());
        lines.set(settle, lines.get(settle).replace(" r1 100 ", " r1 101 "));
        Files.write(journal(), lines, StandardCharsets.US_ASCII);

        JournalStore reopened = open();
        assertEquals(new Balance(450, 0), reopened.balance(DAILY), "r1 charged its 400 in full, r2 its 50");
        assertEquals("skipped 1 damaged line(s) of the spend journal " + journal() + " (line " + (settle + 1)
                + "); a settle or release among them leaves its reservation charged in full", reopened.openWarnings().get(0));
        assertTrue(reopened.openWarnings().get(1).startsWith("1 reservation(s) left open"), reopened.openWarnings().toString());
    }

    @Test
    void aSecondOpenInThisJvmIsRefused() {
        JournalStore first = open();

        StoreException refused = assertThrows(StoreException.class, this::open);
        assertEquals("the spend journal " + journal() + " is already open in this JVM (pid " + ProcessHandle.current().pid()
                + "; lock " + journal() + ".lock held). Close the other store first, or give each its own store.journal.path.",
                refused.getMessage());

        first.close();
        assertNotNull(open(), "free again once closed");
    }

    @Test
    void anotherJvmHoldingTheJournalIsRefusedAndItsKillLosesNothing() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), JournalHolder.class.getName(),
                journal().toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("locked", out.readLine());

            StoreException refused = assertThrows(StoreException.class, this::open);
            assertEquals("the spend journal " + journal() + " is in use by another JVM (pid " + holder.pid() + "; lock "
                    + journal() + ".lock held). Give each JVM its own store.journal.path, or use store=redis to share one"
                    + " budget across JVMs.", refused.getMessage());
        } finally {
            holder.destroyForcibly(); // kill -9: no shutdown hook, no close, no fsync
            holder.waitFor();
        }

        JournalStore after = open();
        assertEquals(new Balance(820, 0), after.balance(DAILY), "the open 700 charged in full, the settled 120 kept");
    }

    @Test
    void compactionKeepsTotalsAndDropsAccountsWhoseWindowEnded() throws Exception {
        AccountRef hourly = new AccountRef("hourly", "hourly/global/2026-11-23T10", 1_000_000, clock.millis() + 3_600_000);
        JournalStore store = open();
        for (int i = 0; i < 200; i++) {
            store.settle(granted(store.reserve("r" + i, List.of(hourly, TOTAL), 100)), i);
        }
        Reservation open = granted(store.reserve("open", List.of(TOTAL), 70));
        List<AccountBalance> before = store.accounts();
        long sizeBefore = Files.size(journal());

        store.compact();

        assertEquals(before, store.accounts());
        assertEquals(before, JournalStore.read(journal(), clock));
        assertEquals(4, lines().size(), "header, two accounts, the open reservation: " + lines());
        assertTrue(Files.size(journal()) < sizeBefore / 50);

        clock.advance(Duration.ofHours(2));
        store.compact();

        assertTrue(lines().stream().noneMatch(line -> line.contains("hourly")), lines().toString());
        assertEquals(List.of(new AccountBalance(TOTAL.key(), new Balance(19_900, 70), 0)), store.accounts());
        store.settle(open, 30);
        store.crash();

        JournalStore reopened = open();
        assertEquals(List.of(new AccountBalance(TOTAL.key(), new Balance(19_930, 0), 0)), reopened.accounts());
        assertEquals(List.of(), reopened.openWarnings(), "the reservation open at compaction was settled after it");
    }

    @Test
    void anExpiredAccountStillHoldingACallIsKeptUntilTheCallEnds() throws Exception {
        AccountRef hourly = new AccountRef("hourly", "hourly/global/2026-11-23T10", 1_000_000, clock.millis() + 3_600_000);
        JournalStore store = open();
        Reservation inFlight = granted(store.reserve("r1", List.of(hourly), 500));
        clock.advance(Duration.ofHours(2));

        store.compact();
        assertTrue(lines().stream().anyMatch(line -> line.startsWith("account hourly/")), lines().toString());
        assertTrue(lines().stream().anyMatch(line -> line.startsWith("reserve ") && line.contains(" r1 ")), lines().toString());

        store.settle(inFlight, 200);
        store.maintain(); // the window has ended and nothing is held now: compacted away
        assertTrue(lines().stream().noneMatch(line -> line.contains("hourly")), lines().toString());
    }

    @Test
    void growingPastTheThresholdCompacts() throws Exception {
        JournalStore store = JournalStore.open(journal(), Duration.ofHours(1), false, clock, 2_000);
        opened.add(store);
        for (int i = 0; i < 100; i++) {
            store.settle(granted(store.reserve("r" + i, List.of(DAILY), 100)), 10);
        }
        assertTrue(Files.size(journal()) > 10_000);

        store.maintain();

        assertEquals(2, lines().size(), "header and one account: " + lines());
        assertEquals(new Balance(1_000, 0), store.balance(DAILY));
        store.close();
        assertEquals(new Balance(1_000, 0), open().balance(DAILY));
    }

    @Test
    void settlementsAreKeptUntilAcknowledgedAcrossRestartsAndCompaction() {
        JournalStore store = open(true);
        store.settle(granted(store.reserve("r1", List.of(DAILY), 400)), 300);
        store.release(granted(store.reserve("r2", List.of(DAILY, TOTAL), 200)));
        store.reserve("r3", List.of(TOTAL), 400);
        assertEquals(List.of(new Settlement("r1", List.of(DAILY), 300), new Settlement("r2", List.of(DAILY, TOTAL), 0)),
                store.unacknowledged());
        store.crash();

        JournalStore reopened = open(true);
        assertEquals(List.of(new Settlement("r1", List.of(DAILY), 300), new Settlement("r2", List.of(DAILY, TOTAL), 0),
                new Settlement("r3", List.of(TOTAL), 400)), reopened.unacknowledged(), "r3 charged in full");
        reopened.acknowledge("r1");
        reopened.acknowledge("r1");
        reopened.acknowledge("never-seen");
        reopened.compact();
        reopened.close();

        JournalStore again = open(true);
        assertEquals(List.of(new Settlement("r2", List.of(DAILY, TOTAL), 0), new Settlement("r3", List.of(TOTAL), 400)),
                again.unacknowledged());
        again.acknowledge("r2");
        again.acknowledge("r3");
        again.crash();

        assertEquals(List.of(), open(true).unacknowledged());
    }

    @Test
    void withoutKeepSettlementsNothingIsKept() throws Exception {
        JournalStore store = open(false);
        store.settle(granted(store.reserve("r1", List.of(DAILY), 400)), 300);
        store.reserve("r2", List.of(DAILY), 100);
        assertEquals(List.of(), store.unacknowledged());
        store.crash();

        JournalStore reopened = open(false);
        assertEquals(List.of(), reopened.unacknowledged());
        assertTrue(lines().stream().noneMatch(line -> line.startsWith("settled ")), lines().toString());
        assertEquals(new Balance(400, 0), reopened.balance(DAILY));
    }

    @Test
    void aZeroFsyncIntervalForcesBeforeSettleAndReleaseReturn() {
        JournalStore store = JournalStore.open(journal(), Duration.ZERO, false, clock);
        opened.add(store);
        Reservation first = granted(store.reserve("r1", List.of(DAILY), 400));
        Reservation second = granted(store.reserve("r2", List.of(DAILY), 400));

        long before = store.syncs();
        store.settle(first, 100);
        assertTrue(store.syncs() > before, "forced before settle returned");
        before = store.syncs();
        store.release(second);
        assertTrue(store.syncs() > before, "forced before release returned");
        store.crash();

        assertEquals(new Balance(100, 0), open().balance(DAILY));
    }

    @Test
    void theBackgroundThreadForcesWithinTheInterval() throws Exception {
        JournalStore store = JournalStore.open(journal(), Duration.ofMillis(20), false, clock);
        opened.add(store);
        store.settle(granted(store.reserve("r1", List.of(DAILY), 400)), 100);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.syncs() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(store.syncs() > 0, "forced in the background");
    }

    @Test
    void readShowsOpenReservationsAsHeldWithoutChargingOrWriting() throws Exception {
        JournalStore store = open();
        store.settle(granted(store.reserve("r1", List.of(DAILY), 400)), 100);
        store.reserve("r2", List.of(DAILY), 400);

        List<AccountBalance> whileOpen = JournalStore.read(journal(), clock); // no lock needed
        store.crash();
        byte[] bytes = Files.readAllBytes(journal());
        List<AccountBalance> afterCrash = JournalStore.read(journal(), clock);

        assertEquals(List.of(new AccountBalance(DAILY.key(), new Balance(100, 400), 0)), whileOpen);
        assertEquals(whileOpen, afterCrash);
        assertArrayEquals(bytes, Files.readAllBytes(journal()), "read changes nothing");
        assertEquals(new Balance(500, 0), open().balance(DAILY), "the next open charges it");
        StoreException missing = assertThrows(StoreException.class, () -> JournalStore.read(dir.resolve("nope.journal"), clock));
        assertEquals("there is no spend journal at " + dir.resolve("nope.journal"), missing.getMessage());
    }

    @Test
    void anInterruptedCallerDoesNotStopTheJournal() {
        JournalStore store = open();
        Thread.currentThread().interrupt(); // a FileChannel would close itself for every thread here
        try {
            store.settle(granted(store.reserve("r1", List.of(DAILY), 400)), 100);
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is left for the application");
        }
        store.settle(granted(store.reserve("r2", List.of(DAILY), 400)), 200);
        store.close();

        assertEquals(new Balance(300, 0), open().balance(DAILY));
    }

    @Test
    void textTheLineFormatCannotCarryIsRefusedBeforeAnythingIsHeld() {
        JournalStore store = open();
        AccountRef spaced = new AccountRef("daily", "daily global", 1_000, 0);

        StoreException refused = assertThrows(StoreException.class, () -> store.reserve("r1", List.of(TOTAL, spaced), 100));
        assertEquals("the account key 'daily global' cannot be written to the spend journal: only the characters"
                + " [A-Za-z0-9._:/#@%+=-] are allowed", refused.getMessage());
        assertThrows(StoreException.class, () -> store.reserve("r 2", List.of(TOTAL), 100));
        assertThrows(StoreException.class, () -> store.reserve("r3", List.of(new AccountRef("day|ly", "k", 1_000, 0)), 1));
        assertEquals(Balance.EMPTY, store.balance(TOTAL));
    }

    @Test
    void aFileThatIsNotAJournalIsLeftUntouched() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.writeString(journal(), "{\"call\":\"not a journal\"}\n");

        for (int attempt = 0; attempt < 2; attempt++) { // the failed open let go of the lock
            StoreException refused = assertThrows(StoreException.class, this::open);
            assertTrue(refused.getMessage().startsWith(journal() + " is not a spend journal"), refused.getMessage());
        }
        assertEquals("{\"call\":\"not a journal\"}\n", Files.readString(journal()));
    }

    @Test
    void aReserveThatCannotBeWrittenHoldsNothingWhileSettleNeverThrows() {
        JournalStore store = open();
        Reservation inFlight = granted(store.reserve("r1", List.of(DAILY), 100));
        store.crash(); // the file is gone from under the store

        StoreException failed = assertThrows(StoreException.class, () -> store.reserve("r2", List.of(DAILY), 200));
        assertTrue(failed.getMessage().startsWith("cannot write to the spend journal " + journal()), failed.getMessage());
        assertEquals(new Balance(0, 100), store.balance(DAILY), "r2 holds nothing");
        store.settle(inFlight, 50);
        assertEquals(new Balance(50, 0), store.balance(DAILY), "the settle counts in memory");

        assertEquals(new Balance(100, 0), open().balance(DAILY), "unwritten, so the next open charges r1 in full");
    }

    private void assertEveryLineDecodes() throws Exception {
        for (String line : lines()) {
            byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
            assertNotNull(JournalCodec.decode(bytes, bytes.length), line);
        }
    }

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }
}
