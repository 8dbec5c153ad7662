package dev.llmbudget.agent;

import dev.llmbudget.instrument.anthropic.AnthropicSdkInstrumentation;
import dev.llmbudget.instrument.jdkhttp.JdkHttpClientInstrumentation;
import dev.llmbudget.instrument.langchain4j.LangChain4jInstrumentation;
import dev.llmbudget.instrument.okhttp.OkHttpInstrumentation;
import dev.llmbudget.instrument.openai.OpenAiSdkInstrumentation;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The classes each instrumented library's advice applies to, as JVM internal names. Loading one of
 * them is what makes the agent build its instrumentation. Kept free of ByteBuddy (the constants are
 * inlined by the compiler), so watching for them costs the JVM's start nothing but a set lookup per
 * loaded class.
 */
final class InstrumentedTypes {
    /** Each library's name (as in {@code instrumentation.<library>.enabled}) and the classes its advice applies to. */
    static final Map<String, Set<String>> TYPES_BY_LIBRARY = Map.of(
            "openai-sdk", internalNames(OpenAiSdkInstrumentation.RETRYING_CLIENT),
            "anthropic-sdk", internalNames(AnthropicSdkInstrumentation.RETRYING_CLIENT),
            "langchain4j", internalNames(LangChain4jInstrumentation.CHAT_MODEL, LangChain4jInstrumentation.STREAMING_CHAT_MODEL),
            "jdk-http-client", internalNames(JdkHttpClientInstrumentation.CLIENT_IMPL),
            "okhttp", internalNames(OkHttpInstrumentation.CLIENT_BUILDER, OkHttpInstrumentation.REAL_CALL));

    /** The instrumented classes of the libraries {@code enabled} keeps. */
    static Set<String> triggers(Set<String> enabled) {
        Set<String> triggers = new HashSet<>();
        for (Map.Entry<String, Set<String>> library : TYPES_BY_LIBRARY.entrySet()) {
            if (enabled.contains(library.getKey())) {
                triggers.addAll(library.getValue());
            }
        }
        return Set.copyOf(triggers);
    }

    private InstrumentedTypes() {
    }

    private static Set<String> internalNames(String... classNames) {
        Set<String> names = new HashSet<>();
        for (String className : classNames) {
            names.add(className.replace('.', '/'));
        }
        return Set.copyOf(names);
    }
}
