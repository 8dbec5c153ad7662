package dev.llmbudget.core.limits;

/**
 * How an admitted call ended, as the limits need to know it.
 *
 * @param failure whether and how it failed
 * @param attempts the HTTP attempts made for it (SDK-internal retries included), at least 1
 * @param tokens the tokens it used (reported usage; its worst case when unknown; 0 when it cost nothing)
 */
public record CallEnd(Failure failure, int attempts, long tokens) {

    public enum Failure {
        /** A response with usage, or one the agent charged without knowing the usage: not a failure. */
        NONE,
        /** The provider refused the request itself (HTTP 4xx other than 408 and 429): sending it again fails again. */
        REQUEST,
        /** The provider failed or is overloaded (408, 429, 5xx, no connection, no response). */
        PROVIDER
    }
}
