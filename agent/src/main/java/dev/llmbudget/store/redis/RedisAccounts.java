package dev.llmbudget.store.redis;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.Balance;
import dev.llmbudget.store.Reservation;
import dev.llmbudget.store.ReserveResult;
import dev.llmbudget.store.SettlementLog;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.store.StoreException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisURIHelper;
import redis.clients.jedis.util.Pool;

/**
 * The store's operations on the Redis server, each one script call (or one PING, or a SCAN for operators). Says
 * nothing about outages: every Jedis failure is thrown to {@link RedisStore}, which decides what it means.
 */
final class RedisAccounts implements AutoCloseable {
    /** Account hashes outlive their window by this much, so a late settle still finds them. */
    static final Duration ACCOUNT_GRACE = Duration.ofDays(1);
    /** How long a settlement of the local store stays marked as applied: longer than a JVM is likely to stay down
     *  between applying one and acknowledging it to its journal. */
    static final Duration APPLIED_MARKER_TTL = Duration.ofDays(7);
    /** At most this many expired reservations are charged in full per reservation, so no call pays for a backlog. */
    static final int SWEEP_LIMIT = 16;
    /** Connections this JVM may open; a call waits at most the timeout for one when all are busy. */
    static final int POOL_SIZE = 32;

    private final RedisClient client;
    private final RedisScripts scripts = new RedisScripts();
    private final RedisKeys keys;
    private final String killSwitchKey;
    private final String reservationTimeoutMillis;
    private final String graceMillis = Long.toString(ACCOUNT_GRACE.toMillis());
    private final String finishedMarkerTtlMillis;
    private final String appliedMarkerTtlMillis = Long.toString(APPLIED_MARKER_TTL.toMillis());

    RedisAccounts(RedisOptions options) {
        this.keys = new RedisKeys(options.keyPrefix());
        this.killSwitchKey = options.killSwitchKey();
        this.reservationTimeoutMillis = Long.toString(options.reservationTimeout().toMillis());
        // a retried settle must find its marker: keep it a day past the time the reservation could have expired
        this.finishedMarkerTtlMillis = Long.toString(options.reservationTimeout().plus(ACCOUNT_GRACE).toMillis());
        this.client = RedisClient.builder()
                .hostAndPort(hostAndPort(options))
                .clientConfig(clientConfig(options))
                .poolConfig(poolConfig(options.timeout()))
                .build();
    }

    RedisKeys keys() {
        return keys;
    }

    /** Answers only if Redis is reachable and usable: PING, then every script loaded. */
    void probe() {
        client.ping();
        scripts.loadAll(client);
    }

    /** Drops idle pooled connections: after a failure they are likely dead, and each would fail one more call. */
    void dropIdleConnections() {
        try {
            client.getPool().clear();
        } catch (RuntimeException ignored) {
            // closing a dead socket may fail; the pool forgets it anyway
        }
    }

    /** {@code ordered}: the accounts sorted by key, so a refusal names the first in key order. */
    ReserveResult reserve(String reservationId, List<AccountRef> ordered, long amountMicros) {
        List<String> redisKeys = new ArrayList<>(3 + ordered.size() * 2);
        redisKeys.add(keys.holds());
        redisKeys.add(keys.reservation(reservationId));
        redisKeys.add(killSwitchKey != null ? killSwitchKey : keys.holds());
        List<String> args = new ArrayList<>(9 + ordered.size() * 3);
        args.add(keys.prefix());
        args.add(reservationId);
        args.add(Long.toString(amountMicros));
        args.add(reservationTimeoutMillis);
        args.add(graceMillis);
        args.add(finishedMarkerTtlMillis);
        args.add(Integer.toString(SWEEP_LIMIT));
        args.add(killSwitchKey != null ? "1" : "0");
        args.add(Integer.toString(ordered.size()));
        for (AccountRef account : ordered) {
            redisKeys.add(keys.account(account.key()));
            for (String counted : account.alsoCounted()) {
                redisKeys.add(keys.account(counted));
            }
            args.add(Long.toString(account.limitMicros()));
            args.add(Long.toString(account.expiresAtMillis()));
            args.add(Integer.toString(account.alsoCounted().size()));
        }
        List<?> reply = (List<?>) scripts.run(client, scripts.reserve, redisKeys, args);
        long code = (Long) reply.get(0);
        if (code == 1) {
            return new ReserveResult.Granted(new Reservation(reservationId, ordered, amountMicros));
        }
        if (code == 0) {
            AccountRef refusing = ordered.get((int) (long) (Long) reply.get(1) - 1);
            return new ReserveResult.Denied(refusing, new Balance((Long) reply.get(2), (Long) reply.get(3)));
        }
        if (code == 2) {
            return new ReserveResult.Halted("killswitch.redis-key", String.valueOf(reply.get(1)));
        }
        throw new StoreException("reservation id " + reservationId + " is already used in Redis (its reservation is "
                + reply.get(1) + "): the agent's call ids must be unique");
    }

    /**
     * Settles ({@code release} false) or releases a reservation made here.
     *
     * @return the script's answer: 1 finished, 2 corrected after it had been charged in full, 0 already finished, -1 unknown
     */
    long finish(Reservation reservation, long actualMicros, boolean release) {
        Object reply = scripts.run(client, scripts.finish,
                List.of(keys.reservation(reservation.id()), keys.holds()),
                List.of(reservation.id(), Long.toString(release ? 0 : actualMicros), release ? "released" : "settled",
                        finishedMarkerTtlMillis));
        return (Long) reply;
    }

    /** Adds a settlement of the local store to Redis; false if it had already been added. */
    boolean apply(SettlementLog.Settlement settlement) {
        List<String> redisKeys = new ArrayList<>(1 + settlement.accounts().size());
        List<String> args = new ArrayList<>(3 + settlement.accounts().size());
        redisKeys.add(keys.applied(settlement.reservationId()));
        args.add(Long.toString(settlement.actualMicros()));
        args.add(appliedMarkerTtlMillis);
        args.add(graceMillis);
        for (AccountRef account : settlement.accounts()) {
            redisKeys.add(keys.account(account.key()));
            args.add(Long.toString(account.expiresAtMillis()));
        }
        return (Long) scripts.run(client, scripts.apply, redisKeys, args) == 1;
    }

    Balance balance(AccountRef account) {
        List<String> redisKeys = new ArrayList<>(1 + account.alsoCounted().size());
        redisKeys.add(keys.account(account.key()));
        for (String counted : account.alsoCounted()) {
            redisKeys.add(keys.account(counted));
        }
        List<?> reply = (List<?>) scripts.run(client, scripts.balance, redisKeys, List.of());
        return new Balance((Long) reply.get(0), (Long) reply.get(1));
    }

    /** SET NX with a lifetime: only the first process to ask gets "OK" until the key expires. */
    boolean claimOnce(String eventKey, long ttlMillis) {
        return "OK".equals(client.set(keys.claim(eventKey), "1", SetParams.setParams().nx().px(Math.max(1, ttlMillis))));
    }

    /** Every account hash under the prefix, by SCAN: for operators, not for calls. */
    List<SpendStore.AccountBalance> accounts() {
        List<SpendStore.AccountBalance> all = new ArrayList<>();
        long now = System.currentTimeMillis();
        ScanParams params = new ScanParams().match(keys.accountPattern()).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, params);
            for (String redisKey : page.getResult()) {
                List<String> fields = client.hmget(redisKey, "spent", "held", "expires");
                if (fields.get(0) == null && fields.get(1) == null) {
                    continue; // expired between SCAN and HMGET
                }
                long expires = number(fields.get(2));
                if (expires == 0 || expires > now) {
                    all.add(new SpendStore.AccountBalance(keys.accountKeyOf(redisKey),
                            new Balance(number(fields.get(0)), number(fields.get(1))), expires));
                }
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        all.sort((a, b) -> a.key().compareTo(b.key()));
        return all;
    }

    @Override
    public void close() {
        client.close();
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    private static HostAndPort hostAndPort(RedisOptions options) {
        URI uri = RedisOptions.parse(options.url());
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        return new HostAndPort(host, RedisOptions.port(uri));
    }

    /** Credentials, database, TLS and protocol as Jedis reads them from the URL; timeouts from the options. */
    private static DefaultJedisClientConfig clientConfig(RedisOptions options) {
        URI uri = RedisOptions.parse(options.url());
        int timeoutMillis = (int) options.timeout().toMillis();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName("llm-budget-agent")
                .clientSetInfoConfig(ClientSetInfoConfig.withLibNameSuffix("llm-budget-agent"))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri));
        String user = JedisURIHelper.getUser(uri);
        String password = JedisURIHelper.getPassword(uri);
        if (user != null) {
            config.user(user);
        }
        if (password != null) {
            config.password(password);
        }
        if (JedisURIHelper.hasDbIndex(uri)) {
            config.database(JedisURIHelper.getDBIndex(uri));
        }
        RedisProtocol protocol = JedisURIHelper.getRedisProtocol(uri);
        if (protocol != null) {
            config.protocol(protocol);
        }
        return config.build();
    }

    private static ConnectionPoolConfig poolConfig(Duration timeout) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(timeout);
        pool.setJmxEnabled(false); // no MBean per store in the host's platform MBean server
        return pool;
    }

    /** For tests: the pool, to see that no connection is left borrowed. */
    Pool<Connection> pool() {
        return client.getPool();
    }
}
