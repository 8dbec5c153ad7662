package dev.llmbudget.instrument.okhttp;

/**
 * The OkHttp clients an SDK the agent guards (OpenAI's, Anthropic's) sends its asynchronous requests
 * through. Such an SDK retries an asynchronous request from its own timer thread, where no claim of
 * the SDK's layer is visible: that attempt reaches OkHttp unowned. It is still recognised, as a
 * request with a non-zero {@code X-Stainless-Retry-Count} on a client that has carried the SDK's
 * owned calls, and passed through untouched, so that one SDK call is never guarded twice. Only such
 * clients: an application's own raw calls, and an SDK whose instrumentation is off, are guarded here
 * as usual.
 */
final class SdkClients {
    /** Every attempt of a Stainless-generated SDK carries it: 0 for the first, 1, 2, ... for its retries. */
    static final String RETRY_COUNT_HEADER = "X-Stainless-Retry-Count";

    private static final WeakIdentityMap<Boolean> CLIENTS = new WeakIdentityMap<>();

    private SdkClients() {
    }

    /** {@code client} carried a call an SDK's layer owns. */
    static void carriedOwnedCall(Object client) {
        if (client != null && CLIENTS.get(client) == null) {
            CLIENTS.put(client, Boolean.TRUE);
        }
    }

    /** Whether a request with this retry count header, on this client, is the retry of an SDK call already guarded. */
    static boolean isSdkRetry(Object client, String retryCount) {
        return retryCount != null && !retryCount.trim().equals("0") && client != null && CLIENTS.get(client) != null;
    }
}
