package dev.llmbudget.store.journal;

import dev.llmbudget.log.AgentLog;
import dev.llmbudget.pricing.Money;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SettlementLog;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spend kept in an append-only file ({@code store=journal}): survives restarts and crashes of this JVM.
 *
 * <p>Every decision is made in memory (a {@link MemoryStore} seeded from the file, as fast as {@code store=memory}); the event
 * is then written to the file before the call returns, so a {@code kill -9} loses nothing. Forcing the
 * file to disk ({@code fsync}) is batched, since it costs milliseconds on many disks: a background
 * thread forces whatever was written within {@code fsyncInterval} (checking at least once a second),
 * which bounds what an OS crash can lose. An interval of zero makes every settle and release force
 * the file before it returns instead (reservations are forced with them).
 *
 * <p>On open the file is replayed: settled spend per account, and every reservation left open by a
 * JVM that stopped mid-call charged in full, since nobody will report what that call cost. The file
 * is then compacted into a snapshot of that state (which also removes a torn last line), and again
 * whenever it has grown by 8 MB ({@link #COMPACT_AFTER_BYTES}) or an account's window has ended. One
 * JVM at a time: a second is refused (see {@link JournalLock}).
 *
 * <p>With {@code keepSettlements}, it is also a {@link SettlementLog}: every settle, release and
 * charge-in-full is kept, across restarts and compactions, until acknowledged.
 *
 * <p>Timing sanity check, by hand and not a test (the benchmarks module measures it properly): open a
 * store with {@code Duration.ofSeconds(1)}, run 50,000 pairs of {@code reserve} (two accounts) and
 * {@code settle} to warm up, then time 200,000 more with {@code System.nanoTime()}. On the
 * development VM (ext4 on a virtual disk) that gave 11 to 20 µs a pair, compactions included: two
 * {@code write} calls, no fsync, and lines encoded into a per-thread buffer, not objects. The target is 80 µs.
 */
public final class JournalStore implements SpendStore, SettlementLog {
    static final long COMPACT_AFTER_BYTES = 8L << 20;
    /** The background thread's longest sleep: it looks for compaction to do and failed writes to retry at least this often. */
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path path;
    private final JournalLock lock;
    private final JournalFile file;
    private final MemoryStore ledger = new MemoryStore();
    private final Clock clock;
    private final boolean keepSettlements;
    private final boolean syncEverySettlement;
    private final long compactAfterBytes;
    /** Settlements not yet acknowledged, oldest first; empty unless keepSettlements. Guarded by itself. */
    private final Map<String, Settlement> unacknowledged;
    /** {@link #claimOnce} claims not expired: key to epoch ms. Replayed on open, written as they are made. */
    private final Map<String, Long> claims = new ConcurrentHashMap<>();
    private final List<String> openWarnings;
    private final Object compaction = new Object();
    private final Thread background;
    private volatile boolean closed;

    private JournalStore(Path path, JournalLock lock, JournalFile file, JournalState replayed, Clock clock,
                         boolean keepSettlements, Duration fsyncInterval, long compactAfterBytes, List<String> openWarnings) {
        this.path = path;
        this.lock = lock;
        this.file = file;
        replayed.accounts().forEach((key, account) -> ledger.seed(key, account.spentMicros, account.expiresAtMillis));
        claims.putAll(replayed.claims());
        this.clock = clock;
        this.keepSettlements = keepSettlements;
        this.syncEverySettlement = fsyncInterval.isZero();
        this.compactAfterBytes = compactAfterBytes;
        this.unacknowledged = new LinkedHashMap<>();
        for (Settlement settlement : replayed.unacknowledged()) {
            unacknowledged.put(settlement.reservationId(), settlement);
        }
        this.openWarnings = openWarnings;
        long tickNanos = syncEverySettlement ? MAX_TICK_NANOS : Math.min(fsyncInterval.toNanos(), MAX_TICK_NANOS);
        this.background = new Thread(() -> maintainUntilClosed(tickNanos), "llm-budget-agent-journal");
        this.background.setDaemon(true);
    }

    /**
     * Opens the journal at {@code path} (creating it and its folders as needed), replays it, and
     * compacts it.
     *
     * @param fsyncInterval how long after a settle or release the file is forced to disk at the latest;
     *     zero forces before each returns
     * @param keepSettlements keep every settlement until {@link #acknowledge}d (for reconciling into a shared store)
     * @param clock the time written in events and against which accounts expire
     * @throws StoreException when the journal cannot be opened: in use by another JVM, not a journal, not writable
     */
    public static JournalStore open(Path path, Duration fsyncInterval, boolean keepSettlements, Clock clock) {
        return open(path, fsyncInterval, keepSettlements, clock, COMPACT_AFTER_BYTES);
    }

    /** As {@link #open(Path, Duration, boolean, Clock)}, compacting whenever the file grew by {@code compactAfterBytes}. */
    static JournalStore open(Path path, Duration fsyncInterval, boolean keepSettlements, Clock clock, long compactAfterBytes) {
        if (fsyncInterval.isNegative()) {
            throw new IllegalArgumentException("fsyncInterval must not be negative: " + fsyncInterval);
        }
        Path journal = path.toAbsolutePath().normalize();
        try {
            Files.createDirectories(journal.getParent());
        } catch (IOException e) {
            throw new StoreException("cannot create the folder of the spend journal " + journal + ": " + e, e);
        }
        JournalLock lock = JournalLock.acquire(journal);
        try {
            JournalState state = new JournalState(keepSettlements);
            JournalReplay.Result replayed = JournalReplay.replay(journal, state);
            List<String> warnings = new ArrayList<>();
            if (replayed.tornBytes() > 0) {
                warnings.add("the spend journal " + journal + " ended in " + replayed.tornBytes() + " byte(s) of an incomplete"
                        + " or damaged last line (a write cut short when its JVM or OS stopped); ignored and removed");
            }
            if (!replayed.damagedLines().isEmpty()) {
                warnings.add("skipped " + replayed.damagedLines().size() + " damaged line(s) of the spend journal " + journal
                        + " (line " + firstTen(replayed.damagedLines()) + "); a settle or release among them leaves its"
                        + " reservation charged in full");
            }
            List<JournalEvent.Reserve> charged = state.chargeOpenInFull();
            if (!charged.isEmpty()) {
                long total = 0;
                for (JournalEvent.Reserve reserve : charged) {
                    total += reserve.amountMicros();
                }
                warnings.add(charged.size() + " reservation(s) left open in the spend journal " + journal + " by a JVM that"
                        + " stopped mid-call were charged in full, " + Money.format(total) + " in total");
            }
            warnings.forEach(AgentLog::warn);
            long now = clock.millis();
            state.dropExpired(now);
            JournalFile file = JournalFile.create(journal, state.snapshot(now));
            JournalStore store = new JournalStore(journal, lock, file, state, clock, keepSettlements, fsyncInterval,
                    compactAfterBytes, List.copyOf(warnings));
            store.background.start();
            return store;
        } catch (IOException | RuntimeException e) {
            lock.release();
            if (e instanceof StoreException refused) {
                throw refused;
            }
            throw new StoreException("cannot open the spend journal " + journal + ": " + e, e);
        }
    }

    /**
     * Balances in a journal, read without locking or writing it: for an operator looking at the journal
     * of a stopped JVM. Reservations left open are shown as held, not charged (the JVM that opens the
     * journal next charges them).
     *
     * @param clock the time against which accounts have expired and are left out
     * @throws StoreException when there is no journal at {@code path} or it cannot be read
     */
    public static List<AccountBalance> read(Path path, Clock clock) {
        Path journal = path.toAbsolutePath().normalize();
        if (!Files.exists(journal)) {
            throw new StoreException("there is no spend journal at " + journal);
        }
        JournalState state = new JournalState(false);
        try {
            JournalReplay.Result replayed = JournalReplay.replay(journal, state);
            if (!replayed.damagedLines().isEmpty()) {
                AgentLog.warn("skipped " + replayed.damagedLines().size() + " damaged line(s) of the spend journal " + journal
                        + " (line " + firstTen(replayed.damagedLines()) + ")");
            }
        } catch (IOException e) {
            throw new StoreException("cannot read the spend journal " + journal + ": " + e, e);
        }
        return state.balances(clock.millis());
    }

    /**
     * Decides in memory, then writes the reservation to the journal before returning it.
     *
     * @throws StoreException when the reservation cannot be written (nothing stays held), or an id,
     *     budget or key holds a character the journal cannot store (checked before anything is held)
     */
    @Override
    public ReserveResult reserve(String reservationId, List<AccountRef> accounts, long amountMicros) {
        JournalCodec.Line line = JournalCodec.reserve(clock.millis(), reservationId, amountMicros, accounts);
        ReserveResult result = ledger.reserve(reservationId, accounts, amountMicros);
        if (result instanceof ReserveResult.Granted granted) {
            try {
                file.append(line);
            } catch (IOException e) {
                ledger.undo(granted.reservation());
                throw new StoreException("cannot write to the spend journal " + path + " (" + e + "), so nothing was reserved", e);
            }
        }
        return result;
    }

    @Override
    public void settle(Reservation reservation, long actualMicros) {
        finish(reservation, actualMicros, true);
    }

    @Override
    public void release(Reservation reservation) {
        finish(reservation, 0, false);
    }

    @Override
    public Balance balance(AccountRef account) {
        return ledger.balance(account);
    }

    /** Accounts not expired that have spend or holds, by key (an account with neither says nothing). */
    @Override
    public List<AccountBalance> accounts() {
        return ledger.accounts(clock.millis());
    }

    @Override
    public String describe() {
        return "journal " + path;
    }

    /**
     * Claimed in memory, then written (fsync batched, as a settle is): a JVM restarted on this journal does not claim
     * again what the one before it claimed. A key the journal cannot carry is claimed in memory only.
     */
    @Override
    public boolean claimOnce(String key, long ttlMillis) {
        long now = clock.millis();
        long expiresAt = now + Math.max(1, ttlMillis);
        boolean[] claimed = new boolean[1];
        claims.compute(key, (k, until) -> {
            if (until != null && until > now) {
                return until;
            }
            claimed[0] = true;
            return expiresAt;
        });
        if (claimed[0]) {
            try {
                write(JournalCodec.claim(key, expiresAt));
            } catch (RuntimeException e) {
                AgentLog.once("journal-claim:" + path, AgentLog.Level.WARN, "cannot write a claim to the spend journal " + path
                        + " (" + e.getMessage() + "); it holds in this JVM only", null);
            }
        }
        return claimed[0];
    }

    @Override
    public List<Settlement> unacknowledged() {
        synchronized (unacknowledged) {
            return List.copyOf(unacknowledged.values());
        }
    }

    @Override
    public void acknowledge(String reservationId) {
        Settlement settlement;
        synchronized (unacknowledged) {
            settlement = unacknowledged.remove(reservationId);
        }
        if (settlement != null) {
            write(JournalCodec.acknowledge(clock.millis(), reservationId));
        }
    }

    /** Stops the background thread, writes what is pending, forces and closes the file, and lets go of the lock. Never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        stopBackground();
        file.close();
        lock.release();
    }

    /** Stops as {@code kill -9} would: nothing more written or forced, the lock let go (as the OS does for a dead process). For tests. */
    void crash() {
        stopBackground();
        file.abandon();
        lock.release();
    }

    /** One round of the background thread's work; tests call it to not wait for the thread. */
    void maintain() {
        file.retryKept();
        file.syncIfDirty();
        if (file.growth() >= compactAfterBytes || ledger.hasExpired(clock.millis())) {
            compact();
        }
    }

    /**
     * Rewrites the journal as a snapshot of itself, dropping accounts whose window has ended. The file
     * written so far is replayed without holding up appends; only the lines appended meanwhile, and the
     * swap, are done under the write lock.
     */
    void compact() {
        synchronized (compaction) {
            long now = clock.millis();
            try {
                JournalState state = new JournalState(keepSettlements);
                long replayedTo = file.size();
                JournalReplay.Result prefix = JournalReplay.replay(path, 0, replayedTo, state);
                if (!prefix.damagedLines().isEmpty() || prefix.tornBytes() > 0) {
                    AgentLog.warn("compacting the spend journal " + path + " dropped " + (prefix.damagedLines().size()
                            + (prefix.tornBytes() > 0 ? 1 : 0)) + " damaged line(s)");
                }
                file.compact(state, replayedTo, now);
            } catch (IOException | RuntimeException e) {
                AgentLog.once("journal-compact:" + path, AgentLog.Level.WARN, "cannot compact the spend journal " + path
                        + "; it keeps growing until compaction works (" + e + ")", null);
            }
            ledger.forgetExpired(now);
            claims.values().removeIf(expiresAt -> expiresAt <= now);
        }
    }

    long syncs() {
        return file.syncs();
    }

    List<String> openWarnings() {
        return openWarnings;
    }

    /**
     * Only an open reservation is finished. A second settle or release of the same id is ignored, and
     * so is one for an id this store does not hold open, such as one the replay on open charged in
     * full because its JVM died with it open. Ignoring that late settle is the conservative choice:
     * charging in full already counted the call's worst-case estimate, applying the settle too would
     * count the call twice, and swapping one for the other would mean remembering every charged id
     * for good.
     */
    private void finish(Reservation reservation, long actualMicros, boolean settle) {
        Reservation open = ledger.take(reservation.id());
        if (open == null) {
            return;
        }
        ledger.apply(open, actualMicros);
        if (keepSettlements) {
            synchronized (unacknowledged) {
                unacknowledged.put(open.id(), new Settlement(open.id(), open.accounts(), actualMicros));
            }
        }
        long now = clock.millis();
        write(settle ? JournalCodec.settle(now, open.id(), actualMicros) : JournalCodec.release(now, open.id()));
    }

    private void write(JournalCodec.Line line) {
        if (file.appendOrKeep(line) && syncEverySettlement) {
            file.sync();
        }
    }

    private void maintainUntilClosed(long tickNanos) {
        while (!closed) {
            LockSupport.parkNanos(this, tickNanos);
            if (closed) {
                return;
            }
            try {
                maintain();
            } catch (RuntimeException e) {
                AgentLog.once("journal-background:" + path, AgentLog.Level.ERROR, "the spend journal's background work failed", e);
            }
        }
    }

    private void stopBackground() {
        closed = true;
        LockSupport.unpark(background);
        if (background.isAlive() && background != Thread.currentThread()) {
            try {
                background.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String firstTen(List<Long> lines) {
        String listed = lines.subList(0, Math.min(10, lines.size())).toString();
        return listed.substring(1, listed.length() - 1) + (lines.size() > 10 ? ", ..." : "");
    }
}
