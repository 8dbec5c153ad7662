package dev.llmbudget.instrument.stainless;

import dev.llmbudget.core.LlmCall;
import dev.llmbudget.wire.KeyFingerprint;
import dev.llmbudget.wire.UsageReader;
import dev.llmbudget.wire.openai.OpenAiEndpoint;
import dev.llmbudget.wire.openai.OpenAiProtocol;
import java.io.IOException;
import java.util.function.UnaryOperator;

/** The OpenAI Java SDK ({@code com.openai}): chat completions, Responses, embeddings; key in {@code Authorization} or Azure's {@code api-key}. */
final class OpenAiSdkProtocol implements SdkProtocol {
    static final OpenAiSdkProtocol INSTANCE = new OpenAiSdkProtocol();

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
    public LlmCall readCall(String httpMethod, String url, byte[] body, UnaryOperator<String> headers) throws IOException {
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
}
