package dev.llmbudget.instrument.stainless;

import dev.llmbudget.core.LlmCall;
import dev.llmbudget.wire.KeyFingerprint;
import dev.llmbudget.wire.UsageReader;
import dev.llmbudget.wire.openai.OpenAiEndpoint;
import dev.llmbudget.wire.openai.OpenAiProtocol;
import dev.llmbudget.wire.SseEventFilter;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.UnaryOperator;

/** The OpenAI Java SDK ({@code com.openai}): chat completions, Responses, embeddings; key in {@code Authorization} or Azure's {@code api-key}. */
final class OpenAiSdkProtocol implements SdkProtocol {
    static final OpenAiSdkProtocol INSTANCE = new OpenAiSdkProtocol();
    private static final byte[] USAGE = "\"usage\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private OpenAiSdkProtocol() {
    }

    @Override
    public String where() {
        return "openai-sdk";
    }

    @Override
    public boolean metered(String httpMethod, String url) {
        return OpenAiEndpoint.of(httpMethod, url) != null;
    }

    @Override
    public LlmCall readCall(String httpMethod, String url, byte[] body, UnaryOperator<String> headers, Object client)
            throws IOException {
        String key = headers.apply("Authorization");
        if (key == null) {
            key = headers.apply("api-key");
        }
        return OpenAiProtocol.readRequest(OpenAiEndpoint.of(httpMethod, url), body, OpenAiEndpoint.azureDeployment(url),
                KeyFingerprint.ofHeader(key));
    }

    @Override
    public UsageReader usageReader(LlmCall call) {
        return OpenAiProtocol.usageReader(call);
    }

    /** A chat stream is asked for its usage ({@code stream_options.include_usage}); the output ceiling applied. */
    @Override
    public Rewrite rewriteBody(String httpMethod, String url, byte[] body, long maxOutputTokens) throws IOException {
        OpenAiProtocol.Rewrite rewrite = OpenAiProtocol.rewrite(OpenAiEndpoint.of(httpMethod, url), body, maxOutputTokens);
        return rewrite == null ? null : new Rewrite(rewrite.body(), rewrite.addsUsageChunk());
    }

    /** The usage-only chunk that {@code include_usage} adds is not passed to an application that did not ask for it. */
    @Override
    public InputStream withoutAddedEvents(InputStream body) {
        return new SseEventFilter(body, USAGE, OpenAiProtocol::isUsageOnlyChunk);
    }
}
