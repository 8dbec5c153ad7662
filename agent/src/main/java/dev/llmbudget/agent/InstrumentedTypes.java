package dev.llmbudget.agent;

import dev.llmbudget.instrument.anthropic.AnthropicSdkInstrumentation;
import dev.llmbudget.instrument.openai.OpenAiSdkInstrumentation;
import java.util.Set;

/**
 * The classes whose loading means an instrumented library is in use, as JVM internal names. Kept
 * free of ByteBuddy (the constants are inlined by the compiler), so watching for them costs the JVM's
 * start nothing but a set lookup per loaded class.
 */
final class InstrumentedTypes {
    static final Set<String> TRIGGERS = Set.of(internalName(OpenAiSdkInstrumentation.RETRYING_CLIENT),
            internalName(AnthropicSdkInstrumentation.RETRYING_CLIENT));

    private InstrumentedTypes() {
    }

    private static String internalName(String className) {
        return className.replace('.', '/');
    }
}
