package dev.llmbudget.instrument.stainless;

/** Which SDK a request class belongs to, by its package: the two generated SDKs share every class name. */
final class SdkProtocols {
    private SdkProtocols() {
    }

    static SdkProtocol forRequestClass(String className) {
        if (className.startsWith("com.openai.")) {
            return OpenAiSdkProtocol.INSTANCE;
        }
        if (className.startsWith("com.anthropic.")) {
            return AnthropicSdkProtocol.INSTANCE;
        }
        return null;
    }
}
