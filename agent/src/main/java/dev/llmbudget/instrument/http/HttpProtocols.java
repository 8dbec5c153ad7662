package dev.llmbudget.instrument.http;

import dev.llmbudget.core.LlmCall;
import dev.llmbudget.wire.KeyFingerprint;
import dev.llmbudget.wire.UsageReader;
import dev.llmbudget.wire.anthropic.AnthropicEndpoint;
import dev.llmbudget.wire.anthropic.AnthropicProtocol;
import dev.llmbudget.wire.gemini.GeminiEndpoint;
import dev.llmbudget.wire.gemini.GeminiProtocol;
import dev.llmbudget.wire.openai.OpenAiEndpoint;
import dev.llmbudget.wire.openai.OpenAiProtocol;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The protocols the HTTP-level layers read. Gemini first (its paths end in {@code :generateContent}),
 * Anthropic next ({@code /messages}), OpenAI and everything OpenAI-compatible last.
 */
final class HttpProtocols {
    static final List<HttpProtocol> ALL = List.of(new Gemini(), new Anthropic(), new OpenAi());

    private HttpProtocols() {
    }

    private static String firstHeader(UnaryOperator<String> headers, String... names) {
        for (String name : names) {
            String value = headers.apply(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** OpenAI and the OpenAI-compatible APIs (Azure, Mistral, Groq, DeepSeek, OpenRouter, Together, Fireworks, gateways). */
    static final class OpenAi implements HttpProtocol {
        @Override
        public String name() {
            return "openai";
        }

        @Override
        public boolean metered(String httpMethod, String url) {
            return OpenAiEndpoint.of(httpMethod, url) != null;
        }

        @Override
        public LlmCall readCall(String httpMethod, String url, byte[] body, UnaryOperator<String> headers) throws IOException {
            return OpenAiProtocol.readRequest(OpenAiEndpoint.of(httpMethod, url), body, OpenAiEndpoint.azureDeployment(url),
                    KeyFingerprint.ofHeader(firstHeader(headers, "Authorization", "api-key")));
        }

        @Override
        public UsageReader usageReader(LlmCall call, String url) {
            return OpenAiProtocol.usageReader(call);
        }

        @Override
        public byte[] withMaxOutputTokens(String httpMethod, String url, byte[] body, long maxOutputTokens) throws IOException {
            // the application reads the stream raw, so it is not asked for usage the application would then see
            OpenAiProtocol.Rewrite rewrite = OpenAiProtocol.rewrite(OpenAiEndpoint.of(httpMethod, url), body, maxOutputTokens, false);
            if (rewrite == null) {
                throw new IOException("the request's output maximum cannot be set");
            }
            return rewrite.body();
        }
    }

    static final class Anthropic implements HttpProtocol {
        @Override
        public String name() {
            return "anthropic";
        }

        @Override
        public boolean metered(String httpMethod, String url) {
            return AnthropicEndpoint.of(httpMethod, url) != null;
        }

        @Override
        public LlmCall readCall(String httpMethod, String url, byte[] body, UnaryOperator<String> headers) throws IOException {
            return AnthropicProtocol.readRequest(AnthropicEndpoint.of(httpMethod, url), body,
                    KeyFingerprint.ofHeader(firstHeader(headers, "x-api-key", "Authorization")));
        }

        @Override
        public UsageReader usageReader(LlmCall call, String url) {
            return AnthropicProtocol.usageReader(call);
        }

        @Override
        public byte[] withMaxOutputTokens(String httpMethod, String url, byte[] body, long maxOutputTokens) throws IOException {
            return AnthropicProtocol.withMaxTokens(body, maxOutputTokens);
        }
    }

    static final class Gemini implements HttpProtocol {
        @Override
        public String name() {
            return "gemini";
        }

        @Override
        public boolean metered(String httpMethod, String url) {
            return GeminiEndpoint.of(httpMethod, url) != null;
        }

        @Override
        public LlmCall readCall(String httpMethod, String url, byte[] body, UnaryOperator<String> headers) throws IOException {
            return GeminiProtocol.readRequest(GeminiEndpoint.of(httpMethod, url), body, GeminiProtocol.keyFingerprint(url, headers));
        }

        @Override
        public UsageReader usageReader(LlmCall call, String url) {
            return GeminiProtocol.usageReader(call, GeminiEndpoint.of("POST", url));
        }

        @Override
        public byte[] withMaxOutputTokens(String httpMethod, String url, byte[] body, long maxOutputTokens) throws IOException {
            return GeminiProtocol.withMaxOutputTokens(body, maxOutputTokens);
        }
    }
}
