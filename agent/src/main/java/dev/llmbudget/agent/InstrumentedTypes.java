package dev.llmbudget.agent;

import dev.llmbudget.instrument.anthropic.AnthropicSdkInstrumentation;
import dev.llmbudget.instrument.context.EntryPoint;
import dev.llmbudget.instrument.jdkhttp.JdkHttpClientInstrumentation;
import dev.llmbudget.instrument.langchain4j.LangChain4jInstrumentation;
import dev.llmbudget.instrument.okhttp.OkHttpInstrumentation;
import dev.llmbudget.instrument.openai.OpenAiSdkInstrumentation;
import java.util.HashSet;
import java.util.List;
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
            "langchain4j", internalNames(LangChain4jInstrumentation.CHAT_MODEL, LangChain4jInstrumentation.STREAMING_CHAT_MODEL,
                    LangChain4jInstrumentation.AI_SERVICE_HANDLER),
            "jdk-http-client", internalNames(JdkHttpClientInstrumentation.CLIENT_IMPL),
            "okhttp", internalNames(OkHttpInstrumentation.CLIENT_BUILDER, OkHttpInstrumentation.REAL_CALL));

    /** The instrumented classes of the libraries {@code enabled} keeps, and the entry points' classes. */
    static Set<String> triggers(Set<String> enabled, List<EntryPoint> entryPoints) {
        Set<String> triggers = new HashSet<>(runTriggers(enabled, entryPoints));
        for (Map.Entry<String, Set<String>> library : TYPES_BY_LIBRARY.entrySet()) {
            if (enabled.contains(library.getKey())) {
                triggers.addAll(library.getValue());
            }
        }
        return Set.copyOf(triggers);
    }

    /**
     * The classes whose loading means runs are about to exist: the entry points' classes, and
     * LangChain4j's AI-service handler when that library is guarded. Loading one starts instrumenting
     * the executors (so that runs follow their work to other threads); a JVM that loads none never does.
     */
    static Set<String> runTriggers(Set<String> enabled, List<EntryPoint> entryPoints) {
        Set<String> triggers = new HashSet<>();
        for (EntryPoint entryPoint : entryPoints) {
            triggers.add(entryPoint.internalClassName());
        }
        if (enabled.contains("langchain4j")) {
            triggers.addAll(internalNames(LangChain4jInstrumentation.AI_SERVICE_HANDLER));
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
