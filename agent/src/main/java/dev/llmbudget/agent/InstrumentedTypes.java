package dev.llmbudget.agent;

import dev.llmbudget.instrument.anthropic.AnthropicSdkInstrumentation;
import dev.llmbudget.instrument.openai.OpenAiSdkInstrumentation;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The classes whose loading means an instrumented library is in use, as JVM internal names. Kept
 * free of ByteBuddy (the constants are inlined by the compiler), so watching for them costs the JVM's
 * start nothing but a set lookup per loaded class.
 */
final class InstrumentedTypes {
    /** Each library's name (as in {@code instrumentation.<library>.enabled}) and the class whose loading triggers it. */
    static final Map<String, String> TRIGGER_BY_LIBRARY = Map.of(
            "openai-sdk", internalName(OpenAiSdkInstrumentation.RETRYING_CLIENT),
            "anthropic-sdk", internalName(AnthropicSdkInstrumentation.RETRYING_CLIENT));

    /** The triggers of the libraries {@code enabled} keeps. */
    static Set<String> triggers(Set<String> enabled) {
        Set<String> triggers = new HashSet<>();
        for (Map.Entry<String, String> library : TRIGGER_BY_LIBRARY.entrySet()) {
            if (enabled.contains(library.getKey())) {
                triggers.add(library.getValue());
            }
        }
        return Set.copyOf(triggers);
    }

    private InstrumentedTypes() {
    }

    private static String internalName(String className) {
        return className.replace('.', '/');
    }
}
