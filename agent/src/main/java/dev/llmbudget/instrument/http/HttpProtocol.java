package dev.llmbudget.instrument.http;

import dev.llmbudget.core.LlmCall;
import dev.llmbudget.wire.UsageReader;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * A provider's wire protocol as the HTTP-level layers meet it: raw method, URL, headers and body.
 * Chosen by the URL path, so an OpenAI-compatible gateway on any known host is read as OpenAI.
 */
interface HttpProtocol {

    /** The protocol a request to {@code url} speaks, if it is a metered LLM call; else null. */
    static HttpProtocol of(String httpMethod, String url) {
        for (HttpProtocol protocol : HttpProtocols.ALL) {
            if (protocol.metered(httpMethod, url)) {
                return protocol;
            }
        }
        return null;
    }

    /** e.g. {@code openai}, for logs. */
    String name();

    boolean metered(String httpMethod, String url);

    /** @param headers the request's first value of a header by name, or null */
    LlmCall readCall(String httpMethod, String url, byte[] body, UnaryOperator<String> headers) throws IOException;

    UsageReader usageReader(LlmCall call, String url);

    /** The body with its output maximum set to {@code maxOutputTokens} (the output ceiling). */
    byte[] withMaxOutputTokens(String httpMethod, String url, byte[] body, long maxOutputTokens) throws IOException;
}
