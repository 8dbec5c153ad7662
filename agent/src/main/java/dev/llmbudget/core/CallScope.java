package dev.llmbudget.core;

/**
 * Where a call is made from, beyond the request itself: the run it belongs to and the tenant it is
 * made for. Read on the calling thread just before pre-flight.
 *
 * @param run the run (task) in progress, or null outside any run
 * @param tenant the tenant named by the MDC key {@code tenant.mdc-key}, or null
 */
public record CallScope(Run run, String tenant) {
    public static final CallScope NONE = new CallScope(null, null);
}
