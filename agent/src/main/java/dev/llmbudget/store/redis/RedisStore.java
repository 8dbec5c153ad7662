package dev.llmbudget.store.redis;

import dev.llmbudget.log.AgentLog;
import dev.llmbudget.pricing.Money;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SettlementLog;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.store.StoreException;
import java.util.List;

/**
 * Spend shared by every JVM that points at one Redis ({@code store=redis}), so N instances of a service keep
 * one budget between them.
 *
 * <p>Each operation is one Lua script, atomic on the server: a reservation sweeps a few expired reservations
 * (charging them in full), checks the kill switch, checks every account and holds in every account, all or none.
 * Expiries use Redis's clock ({@code TIME}), so the JVMs' clocks do not matter. Settle and release are idempotent
 * on the reservation id, and a settle that arrives after its reservation was charged in full corrects the charge
 * to the actual cost, once. Account hashes expire a day after their window ends. The key layout is described in
 * {@link RedisKeys}; the scripts' contracts at the top of each {@code .lua} file.
 *
 * <p><b>Standalone Redis only</b> (or the primary of a replicated or Sentinel-managed set, given by its address):
 * not Redis Cluster. The scripts reach keys they cannot declare up front (the accounts of the reservations they
 * sweep), which Cluster forbids, and the accounts of one call would not share a hash slot.
 *
 * <p>When Redis does not answer within the timeout, the call is answered by the policy: refused
 * ({@link ReserveResult.Unavailable}, nothing held) or reserved in a local fallback store within a slice per
 * account ({@link LocalFallback}). Redis is then marked down and calls do not even try it (they are answered at
 * once) until the background {@link Reconciler} has seen it answer again and written what piled up meanwhile.
 * Settles and releases never throw: one that cannot reach Redis is queued and written later.
 *
 * <p>This class and the others of its package load the (shaded) Jedis client; nothing else in the agent refers to
 * them, so the client is loaded only when this store is configured. {@link RedisOptions} holds no Jedis type.
 */
public final class RedisStore implements SpendStore {
    static final String ON_UNAVAILABLE_RULE = "store.redis.on-unavailable";

    private final RedisOptions options;
    private final RedisAccounts redis;
    private final RedisAvailability availability;
    private final LocalFallback local;
    private final Reconciler reconciler;
    private volatile boolean closed;

    /** A store that refuses calls while Redis is out of reach; {@code options.onUnavailable()} must be REFUSE. */
    public RedisStore(RedisOptions options) {
        this((LocalFallback) null, options);
    }

    /**
     * A store with a local fallback: where calls are reserved while Redis is out of reach (with
     * {@link RedisOptions.OnUnavailable#LOCAL}) and whose unacknowledged settlements, also those a previous run
     * left, are added to Redis once it answers. With REFUSE it is only drained, or may be null. The store closes it.
     *
     * @throws StoreException if the options cannot make a Redis client (a malformed URL, a LOCAL policy without a
     *     local store). Redis being out of reach is not an error here: the store starts with it marked down.
     */
    public <L extends SpendStore & SettlementLog> RedisStore(RedisOptions options, L localFallback) {
        this(localFallback == null ? null : LocalFallback.of(localFallback, options.localSliceMicros()), options);
    }

    private RedisStore(LocalFallback local, RedisOptions options) {
        if (options.onUnavailable() == RedisOptions.OnUnavailable.LOCAL && local == null) {
            throw new StoreException("store.redis.on-unavailable=local needs a local store to fall back to");
        }
        this.options = options;
        this.local = local;
        String whileDown = options.onUnavailable() == RedisOptions.OnUnavailable.LOCAL
                ? "calls are reserved locally, at most " + Money.format(options.localSliceMicros())
                        + " per budget window, and added to Redis later (" + ON_UNAVAILABLE_RULE + "=local)"
                : "calls are refused (" + ON_UNAVAILABLE_RULE + "=refuse)";
        this.availability = new RedisAvailability(options.hostAndPort(), whileDown);
        try {
            this.redis = new RedisAccounts(options);
        } catch (IllegalArgumentException e) {
            // Jedis's own URL checks; its messages do not repeat the URL
            throw new StoreException("cannot use the Redis URL for " + options.location() + ": " + e.getMessage(), e);
        }
        this.reconciler = new Reconciler(redis, availability, local);
        try {
            redis.probe();
        } catch (RuntimeException e) {
            if (!RedisFailures.unreachable(e)) {
                redis.close();
                throw new StoreException("Redis at " + options.location() + " answers, but not as the store needs: "
                        + RedisFailures.shortCause(e), e);
            }
            availability.markDown(RedisFailures.shortCause(e));
        }
        reconciler.start();
    }

    @Override
    public ReserveResult reserve(String reservationId, List<AccountRef> accounts, long amountMicros) {
        List<AccountRef> ordered = List.copyOf(AccountRef.inLockOrder(accounts));
        if (!availability.isUp()) {
            return unavailable(reservationId, ordered, amountMicros);
        }
        try {
            return redis.reserve(reservationId, ordered, amountMicros);
        } catch (RuntimeException e) {
            if (RedisFailures.poolExhausted(e)) {
                // every connection is busy for the whole timeout: this JVM is overloaded, Redis may be fine
                return unavailable(reservationId, ordered, amountMicros, "no Redis connection free within "
                        + options.timeout().toMillis() + " ms");
            }
            if (!RedisFailures.unreachable(e)) {
                throw e instanceof StoreException ? (StoreException) e
                        : new StoreException("the Redis store could not reserve: " + RedisFailures.shortCause(e), e);
            }
            markDown(e);
            // the script may have run before the connection failed: release whatever it held, once Redis answers
            reconciler.queue(new Reservation(reservationId, ordered, amountMicros), 0, true);
            return unavailable(reservationId, ordered, amountMicros);
        }
    }

    @Override
    public void settle(Reservation reservation, long actualMicros) {
        finish(reservation, actualMicros, false);
    }

    @Override
    public void release(Reservation reservation) {
        finish(reservation, 0, true);
    }

    /** @throws StoreException while Redis is out of reach (at once: without waiting for it again) */
    @Override
    public Balance balance(AccountRef account) {
        requireReachable("read the balance of " + account.key());
        try {
            return redis.balance(account);
        } catch (RuntimeException e) {
            throw failure("read the balance of " + account.key(), e);
        }
    }

    /** One SET NX PX; true (unclaimed) while Redis is out of reach or fails: a duplicate alert beats a lost one. */
    @Override
    public boolean claimOnce(String key, long ttlMillis) {
        if (!availability.isUp()) {
            return true;
        }
        try {
            return redis.claimOnce(key, ttlMillis);
        } catch (RuntimeException e) {
            AgentLog.debug("claiming " + key + " in Redis: " + RedisFailures.shortCause(e));
            return true;
        }
    }

    /** Lists the accounts by SCAN over the prefix: an operator command, not for calls. */
    @Override
    public List<AccountBalance> accounts() {
        requireReachable("list the accounts");
        try {
            return redis.accounts();
        } catch (RuntimeException e) {
            throw failure("list the accounts", e);
        }
    }

    /** {@code redis host:port/db prefix p}: never the credentials. */
    @Override
    public String describe() {
        return "redis " + options.location() + " prefix " + options.keyPrefix();
    }

    /**
     * Stops the background thread, writes what it still holds if Redis answers, and closes the connections and the
     * local store. A settle Redis never got is charged in full when its reservation expires.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            boolean stopped = reconciler.stop(2 * options.timeout().toMillis() + 100);
            if (stopped && availability.isUp() && !reconciler.idle()) {
                reconciler.catchUp();
            }
        } catch (RuntimeException e) {
            AgentLog.warn("the Redis store did not write everything on close: " + RedisFailures.shortCause(e));
        }
        try {
            redis.close();
        } catch (RuntimeException e) {
            AgentLog.debug("closing the Redis connections: " + RedisFailures.shortCause(e));
        }
        if (local != null) {
            try {
                local.close();
            } catch (RuntimeException e) {
                AgentLog.warn("closing the local fallback store: " + RedisFailures.shortCause(e));
            }
        }
    }

    /** Whether calls go to Redis now (false while it is out of reach and until what piled up is written). */
    public boolean redisReachable() {
        return availability.isUp();
    }

    /** For tests: nothing waits to be written to Redis. */
    boolean reconciled() {
        return availability.isUp() && reconciler.idle();
    }

    /** For tests: the Jedis side. */
    RedisAccounts redis() {
        return redis;
    }

    private void finish(Reservation reservation, long actualMicros, boolean release) {
        if (local != null) {
            try {
                if (local.finish(reservation, actualMicros, release)) {
                    reconciler.localSettled();
                    return;
                }
            } catch (RuntimeException e) {
                AgentLog.error("the local fallback store could not " + (release ? "release" : "settle") + " reservation "
                        + reservation.id() + ": " + RedisFailures.shortCause(e), e);
                return;
            }
        }
        try {
            if (!availability.isUp()) {
                reconciler.queue(reservation, actualMicros, release);
                return;
            }
            redis.finish(reservation, actualMicros, release);
        } catch (RuntimeException e) {
            if (RedisFailures.unreachable(e)) {
                markDown(e);
                reconciler.queue(reservation, actualMicros, release);
            } else {
                AgentLog.error("the Redis store could not " + (release ? "release" : "settle") + " reservation "
                        + reservation.id() + " (" + RedisFailures.shortCause(e)
                        + "); Redis charges it in full when it expires", null);
            }
        }
    }

    private ReserveResult unavailable(String reservationId, List<AccountRef> ordered, long amountMicros) {
        return unavailable(reservationId, ordered, amountMicros, availability.cause());
    }

    private ReserveResult unavailable(String reservationId, List<AccountRef> ordered, long amountMicros, String cause) {
        if (options.onUnavailable() == RedisOptions.OnUnavailable.LOCAL) {
            return local.reserve(reservationId, ordered, amountMicros);
        }
        return new ReserveResult.Unavailable(ON_UNAVAILABLE_RULE, "Redis at " + availability.where()
                + " cannot be reached (" + cause + "); " + ON_UNAVAILABLE_RULE + "=refuse");
    }

    private void markDown(RuntimeException e) {
        availability.markDown(RedisFailures.shortCause(e));
        redis.dropIdleConnections();
        reconciler.wake();
    }

    private void requireReachable(String what) {
        if (!availability.isUp()) {
            throw new StoreException("cannot " + what + ": Redis at " + availability.where() + " cannot be reached ("
                    + availability.cause() + ")");
        }
    }

    private StoreException failure(String what, RuntimeException e) {
        if (e instanceof StoreException store) {
            return store;
        }
        if (RedisFailures.unreachable(e)) {
            return new StoreException("cannot " + what + ": Redis at " + availability.where() + " cannot be reached ("
                    + RedisFailures.shortCause(e) + ")", e);
        }
        return new StoreException("cannot " + what + " in Redis at " + availability.where() + ": "
                + RedisFailures.shortCause(e), e);
    }
}
