package dev.llmbudget.store.redis;

import dev.llmbudget.log.AgentLog;

/**
 * Whether calls go to Redis now. A call that meets Redis out of reach marks it down; from then on calls do not
 * even try (they are answered at once by the policy) until the {@link Reconciler} has seen Redis answer again and
 * written what piled up meanwhile. Each change is logged once, with where Redis is but never its credentials.
 */
final class RedisAvailability {
    private final String where;
    private final String whileDown;
    private volatile boolean up = true;
    private volatile String cause = "";
    private volatile long downSinceNanos;

    /**
     * @param where {@code host:port} for log lines and refusal reasons
     * @param whileDown what calls get meanwhile, for the log line
     */
    RedisAvailability(String where, String whileDown) {
        this.where = where;
        this.whileDown = whileDown;
    }

    boolean isUp() {
        return up;
    }

    /** Why Redis was last found out of reach, short. */
    String cause() {
        return cause;
    }

    String where() {
        return where;
    }

    /** Marks Redis down; logs only the change, not every call that meets it. */
    void markDown(String why) {
        cause = why;
        boolean changed;
        synchronized (this) {
            changed = up;
            if (changed) {
                up = false;
                downSinceNanos = System.nanoTime();
            }
        }
        if (changed) {
            AgentLog.warn("Redis at " + where + " cannot be reached (" + why + "); until it answers again, "
                    + whileDown);
        }
    }

    void markUp() {
        long since;
        synchronized (this) {
            if (up) {
                return;
            }
            up = true;
            since = downSinceNanos;
        }
        long millis = (System.nanoTime() - since) / 1_000_000;
        AgentLog.info("Redis at " + where + " reachable again, after " + millis + " ms out of reach");
    }
}
