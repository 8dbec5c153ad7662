package dev.llmbudget.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where spend is kept, as configured ({@code store}, {@code store.*}, {@code killswitch.redis-key}).
 *
 * @param kind {@code journal}, {@code redis} or {@code memory}
 * @param journalPath the journal file, resolved (also the local slice's file under {@code store=redis})
 * @param redisOnUnavailable {@code refuse} or {@code local}
 * @param killSwitchRedisKey the Redis key that halts every call while it exists, or null
 */
public record StoreConfig(String kind, Path journalPath, Duration journalFsyncInterval, Duration reservationTimeout,
                          String redisUrl, String redisKeyPrefix, Duration redisTimeout, String redisOnUnavailable,
                          long redisLocalSliceMicros, String killSwitchRedisKey) {
}
