package dev.llmbudget.store.redis;

import dev.llmbudget.log.AgentLog;
import dev.llmbudget.pricing.Money;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.SettlementLog;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The store's one background thread (a daemon). While Redis is out of reach it probes it (PING, then the scripts
 * loaded) with a backoff of 100 ms doubling to 5 s; once Redis answers it first writes what piled up meanwhile
 * and only then lets calls go to Redis again, so they see that spend:
 * <ul>
 * <li>settles and releases of reservations Redis granted, which could not be written when their calls finished
 *     (idempotent on the id: one that did reach Redis before its connection failed counts once). If this JVM
 *     dies before they are written, Redis charges those reservations in full when they expire: an outage can
 *     only make the shared spend too high, never too low;</li>
 * <li>the releases of reservations whose reserve failed on the way: Redis may have run the script before the
 *     connection failed, and would otherwise charge that hold in full at expiry;</li>
 * <li>every settlement of the local fallback store not yet acknowledged (also those a previous run left in
 *     its journal), each added to Redis idempotently on its reservation id, then acknowledged.</li>
 * </ul>
 * A local reservation that is still open when Redis comes back is reconciled when it finishes.
 */
final class Reconciler implements AutoCloseable {
    static final long FIRST_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;

    /** A settle or release Redis has not seen yet. */
    private record Unwritten(Reservation reservation, long actualMicros, boolean release) {
    }

    private final RedisAccounts redis;
    private final RedisAvailability availability;
    private final LocalFallback local;
    private final Queue<Unwritten> unwritten = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    /** True when the local store may hold unacknowledged settlements; at first, those a previous run left. */
    private volatile boolean localPending;
    /** True while local settlements are being added to Redis (localPending is already false then). */
    private volatile boolean catchingUpLocal;
    private volatile boolean stopped;
    private int reconciledCount;
    private long reconciledMicros;

    /** @param local the local fallback store, or null if there is none */
    Reconciler(RedisAccounts redis, RedisAvailability availability, LocalFallback local) {
        this.redis = redis;
        this.availability = availability;
        this.local = local;
        this.localPending = local != null;
        this.thread = new Thread(this::run, "llm-budget-redis-reconciler");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a settle or release of a reservation Redis granted, to be written once Redis answers. */
    void queue(Reservation reservation, long actualMicros, boolean release) {
        unwritten.add(new Unwritten(reservation, actualMicros, release));
        LockSupport.unpark(thread);
    }

    /** A reservation of the local store was finished: its settlement waits to be added to Redis. */
    void localSettled() {
        localPending = true;
        LockSupport.unpark(thread);
    }

    /** Redis was just marked down: start probing. */
    void wake() {
        LockSupport.unpark(thread);
    }

    /** For tests and the shutdown path: nothing is waiting to be written. */
    boolean idle() {
        // localPending before catchingUpLocal: catchUpLocal sets them in the opposite order
        return unwritten.isEmpty() && !localPending && !catchingUpLocal;
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (!stopped) {
            try {
                if (!availability.isUp()) {
                    sleep(backoff);
                    if (stopped) {
                        break;
                    }
                    if (probe() && catchUp()) {
                        availability.markUp();
                        backoff = FIRST_BACKOFF_MILLIS;
                    } else {
                        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                    }
                } else if (!idle()) {
                    catchUp(); // marks Redis down if it fails on the way
                } else {
                    LockSupport.park(this); // until a settle is queued or Redis is marked down
                }
            } catch (Throwable t) {
                AgentLog.once("redis-reconciler-failure", AgentLog.Level.ERROR,
                        "the Redis store's background thread failed; it carries on", t);
                sleep(backoff);
            }
        }
    }

    private boolean probe() {
        redis.dropIdleConnections();
        try {
            redis.probe();
            return true;
        } catch (RuntimeException e) {
            if (!RedisFailures.unreachable(e)) {
                AgentLog.once("redis-probe-" + e.getClass().getName(), AgentLog.Level.ERROR,
                        "Redis at " + availability.where() + " answers, but not as the store needs: "
                                + RedisFailures.shortCause(e), null);
            }
            return false;
        }
    }

    /**
     * Writes what waits to be written. Returns false, with Redis marked down, if Redis stopped answering on the
     * way; whatever was not written stays queued.
     */
    boolean catchUp() {
        int written = 0;
        Unwritten next;
        while ((next = unwritten.peek()) != null) {
            try {
                redis.finish(next.reservation(), next.actualMicros(), next.release());
            } catch (RuntimeException e) {
                if (RedisFailures.unreachable(e)) {
                    availability.markDown(RedisFailures.shortCause(e));
                    return false;
                }
                AgentLog.error("Redis refused to " + (next.release() ? "release" : "settle") + " reservation "
                        + next.reservation().id() + " (" + RedisFailures.shortCause(e)
                        + "); Redis charges it in full when it expires");
            }
            unwritten.poll();
            written++;
        }
        if (written > 0) {
            AgentLog.info("Redis: " + plural(written, "settle or release", "settles and releases")
                    + " held back while it was out of reach written");
        }
        return local == null || catchUpLocal();
    }

    private boolean catchUpLocal() {
        if (!localPending) {
            return true;
        }
        catchingUpLocal = true;
        try {
            localPending = false; // before reading: a settlement made meanwhile sets it again
            return addLocalSettlements();
        } finally {
            catchingUpLocal = false;
        }
    }

    private boolean addLocalSettlements() {
        List<SettlementLog.Settlement> settlements;
        try {
            settlements = local.log().unacknowledged();
        } catch (RuntimeException e) {
            AgentLog.error("cannot read the local store's settlements to reconcile them into Redis", e);
            return true;
        }
        boolean reachable = true;
        for (SettlementLog.Settlement settlement : settlements) {
            try {
                if (redis.apply(settlement)) {
                    reconciledCount++;
                    reconciledMicros += settlement.actualMicros();
                }
            } catch (RuntimeException e) {
                if (RedisFailures.unreachable(e)) {
                    localPending = true;
                    availability.markDown(RedisFailures.shortCause(e));
                    reachable = false;
                    break;
                }
                AgentLog.error("Redis refused the local settlement of reservation " + settlement.reservationId() + " ("
                        + RedisFailures.shortCause(e) + "); it stays in the local store", null);
                continue;
            }
            local.log().acknowledge(settlement.reservationId());
        }
        if (reconciledCount > 0 && (!reachable || local.openReservations() == 0)) {
            AgentLog.info("Redis: " + plural(reconciledCount, "settlement", "settlements")
                    + " made locally while it was out of reach reconciled, " + Money.format(reconciledMicros));
            reconciledCount = 0;
            reconciledMicros = 0;
        }
        return reachable;
    }

    private static String plural(int count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }

    private void sleep(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (!stopped && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
    }

    /** Stops the thread and waits for it a little; true if it has stopped. */
    boolean stop(long waitMillis) {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Override
    public void close() {
        stop(0);
    }
}
