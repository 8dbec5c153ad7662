package dev.llmbudget.instrument.stainless;

import dev.llmbudget.core.LlmCall;
import dev.llmbudget.wire.UsageReader;
import java.util.function.UnaryOperator;

/**
 * What differs between two SDKs of the same generator: which requests are metered LLM calls, how
 * their bodies read, where the API key travels, and where usage sits in the response.
 */
interface SdkProtocol {

    /** For logs and the ledger, e.g. {@code openai-sdk}. */
    String where();

    /** Whether a request to {@code url} is a metered LLM call (others pass untouched). */
    boolean metered(String httpMethod, String url);

    /**
     * The call a metered request makes.
     *
     * @param headers the request's first value of a header by name, or null
     * @param client the SDK's {@code RetryingHttpClient} the request passes, for what the request does not carry yet
     */
    LlmCall readCall(String httpMethod, String url, byte[] body, UnaryOperator<String> headers, Object client)
            throws java.io.IOException;

    UsageReader usageReader(LlmCall call);

    /**
     * The body as the agent sends it: asking the provider for what the agent needs (a stream's usage)
     * and, when {@code maxOutputTokens > 0}, with the request's output maximum set to it. Null to send
     * the application's body as it is.
     */
    default Rewrite rewriteBody(String httpMethod, String url, byte[] body, long maxOutputTokens) throws java.io.IOException {
        return null;
    }

    /**
     * @param addsEvents whether the provider will now send events the application did not ask for,
     *     which {@link #withoutAddedEvents} leaves out again
     */
    record Rewrite(byte[] body, boolean addsEvents) {
    }

    /** The response body the application reads after a rewrite: without what the rewrite added. */
    default java.io.InputStream withoutAddedEvents(java.io.InputStream body) {
        return body;
    }
}
