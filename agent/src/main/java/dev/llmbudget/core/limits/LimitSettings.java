package dev.llmbudget.core.limits;

import dev.llmbudget.core.Partition;
import java.time.Duration;

/**
 * The limits of {@code limits.*} other than output ceilings and budgets. A count of 0 switches its
 * limit off.
 */
public record LimitSettings(long taskMaxCalls, long taskMaxTokens,
                            long retryMaxAttempts, Duration retryWindow,
                            long circuitFailures, Duration circuitWindow, Duration circuitOpenFor,
                            long loopIdenticalRequests, long loopPingPong, Duration loopWindow,
                            long rateCallsPerMinute, long rateTokensPerMinute, Partition ratePer, boolean rateWait,
                            Duration rateMaxWait,
                            long concurrencyMax, Partition concurrencyPer, boolean concurrencyWait, Duration concurrencyMaxWait,
                            long burnRateMicrosPerMinute) {

    public static final LimitSettings NONE = new LimitSettings(0, 0, 0, Duration.ofMinutes(10), 0, Duration.ofMinutes(1),
            Duration.ofSeconds(30), 0, 0, Duration.ofMinutes(10), 0, 0, Partition.GLOBAL, false, Duration.ofSeconds(30),
            0, Partition.GLOBAL, false, Duration.ofSeconds(30), 0);
}
