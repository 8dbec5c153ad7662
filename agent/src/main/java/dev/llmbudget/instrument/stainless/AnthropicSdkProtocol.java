package dev.llmbudget.instrument.stainless;

import dev.llmbudget.core.LlmCall;
import dev.llmbudget.wire.KeyFingerprint;
import dev.llmbudget.wire.UsageReader;
import dev.llmbudget.wire.anthropic.AnthropicEndpoint;
import dev.llmbudget.wire.anthropic.AnthropicProtocol;
import java.io.IOException;
import java.util.function.UnaryOperator;

/** The Anthropic Java SDK ({@code com.anthropic}): Messages, beta included; key in {@code x-api-key} or a bearer token. */
final class AnthropicSdkProtocol implements SdkProtocol {
    static final AnthropicSdkProtocol INSTANCE = new AnthropicSdkProtocol();

    private AnthropicSdkProtocol() {
    }

    @Override
    public String where() {
        return "anthropic-sdk";
    }

    @Override
    public boolean metered(String httpMethod, String url) {
        return AnthropicEndpoint.of(httpMethod, url) != null;
    }

    @Override
    public LlmCall readCall(String httpMethod, String url, byte[] body, UnaryOperator<String> headers, Object client)
            throws IOException {
        String key = headers.apply("x-api-key");
        if (key == null) {
            key = headers.apply("Authorization");
        }
        if (key == null) {
            key = ClientCredential.below(client); // the SDK adds its key below the hook
        }
        return AnthropicProtocol.readRequest(AnthropicEndpoint.of(httpMethod, url), body, KeyFingerprint.ofHeader(key));
    }

    @Override
    public UsageReader usageReader(LlmCall call) {
        return AnthropicProtocol.usageReader(call);
    }

    /** Anthropic streams report usage unasked: only the output ceiling is applied, to {@code max_tokens}. */
    @Override
    public Rewrite rewriteBody(String httpMethod, String url, byte[] body, long maxOutputTokens) throws IOException {
        return maxOutputTokens > 0 ? new Rewrite(AnthropicProtocol.withMaxTokens(body, maxOutputTokens), false) : null;
    }
}
