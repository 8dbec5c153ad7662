package dev.llmbudget.agent;

import dev.llmbudget.config.StoreConfig;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.store.StoreException;
import dev.llmbudget.store.journal.JournalStore;
import dev.llmbudget.store.redis.RedisOptions;
import dev.llmbudget.store.redis.RedisStore;
import java.time.Clock;

/**
 * Opens the store the configuration names ({@code store=journal|redis|memory}). The Redis classes
 * (and the shaded Jedis under them) load only when {@code store=redis}: this class names them, but
 * the JVM resolves them only on the branch that runs.
 */
public final class SpendStores {
    private SpendStores() {
    }

    /** @throws StoreException when the store cannot be opened, with a message that says what to do */
    public static SpendStore open(StoreConfig config) {
        return switch (config.kind()) {
            case "memory" -> new MemoryStore();
            case "journal" -> JournalStore.open(config.journalPath(), config.journalFsyncInterval(), false, Clock.systemUTC());
            case "redis" -> openRedis(config);
            default -> throw new StoreException("unknown store " + config.kind());
        };
    }

    public static RedisOptions redisOptions(StoreConfig config) {
        return RedisOptions.of(config.redisUrl()).withKeyPrefix(config.redisKeyPrefix()).withTimeout(config.redisTimeout())
                .withOnUnavailable(config.redisOnUnavailable().equals("local") ? RedisOptions.OnUnavailable.LOCAL
                        : RedisOptions.OnUnavailable.REFUSE)
                .withLocalSliceMicros(config.redisLocalSliceMicros()).withReservationTimeout(config.reservationTimeout())
                .withKillSwitchKey(config.killSwitchRedisKey());
    }

    /**
     * The Redis store; under {@code on-unavailable=local} with its local journal, which holds the spend granted
     * while Redis is away until it is reconciled (and locks {@code store.journal.path}: one JVM per file). Under
     * {@code refuse} no journal is opened, so JVMs sharing a working directory do not contend for one.
     */
    private static SpendStore openRedis(StoreConfig config) {
        if (!config.redisOnUnavailable().equals("local")) {
            return new RedisStore(redisOptions(config));
        }
        JournalStore local = JournalStore.open(config.journalPath(), config.journalFsyncInterval(), true, Clock.systemUTC());
        try {
            return new RedisStore(redisOptions(config), local);
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
    }
}
