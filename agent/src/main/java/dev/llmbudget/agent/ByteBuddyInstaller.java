package dev.llmbudget.agent;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.llmbudget.instrument.anthropic.AnthropicSdkInstrumentation;
import dev.llmbudget.instrument.jdkhttp.JdkHttpClientInstrumentation;
import dev.llmbudget.instrument.langchain4j.LangChain4jInstrumentation;
import dev.llmbudget.instrument.okhttp.OkHttpInstrumentation;
import dev.llmbudget.instrument.openai.OpenAiSdkInstrumentation;
import dev.llmbudget.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Builds every library's instrumentation into one ByteBuddy {@link AgentBuilder}; the only class of
 * the {@code agent} package that touches ByteBuddy, so that nothing loads it before it is needed.
 * Types are matched by exact name, and nothing already loaded is retransformed unless the agent was
 * attached to a running JVM.
 */
final class ByteBuddyInstaller {
    private static final List<dev.llmbudget.instrument.Instrumentation> INSTRUMENTATIONS =
            List.of(new OpenAiSdkInstrumentation(), new AnthropicSdkInstrumentation(), new LangChain4jInstrumentation(),
                    new JdkHttpClientInstrumentation(), new OkHttpInstrumentation());

    private ByteBuddyInstaller() {
    }

    /** A transformer for {@link DeferredTransformer} to call for classes as they load. */
    static ClassFileTransformer rawTransformer(Set<String> enabled) {
        return builder(AgentBuilder.RedefinitionStrategy.DISABLED, enabled).makeRaw();
    }

    /** Attached late: installs now, retransforming instrumented classes that are already loaded. */
    static void installWithRetransformation(Instrumentation instrumentation, Set<String> enabled) {
        builder(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION, enabled).installOn(instrumentation);
    }

    private static AgentBuilder builder(AgentBuilder.RedefinitionStrategy redefinition, Set<String> enabled) {
        disableNexus();
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(redefinition)
                // the default also ignores the bootstrap and platform loaders, where the JDK's HttpClient
                // lives; every instrumentation matches exact class names, so nothing else is touched
                .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("dev.llmbudget.")).or(isSynthetic()))
                .with(new TransformationLog());
        for (dev.llmbudget.instrument.Instrumentation library : INSTRUMENTATIONS) {
            if (enabled.contains(library.name())) {
                builder = library.extend(builder);
            }
        }
        return builder;
    }

    /**
     * ByteBuddy's Nexus serves type initializers, which inline advice with no class-format changes
     * never needs; left enabled, merely creating an {@link AgentBuilder} probes {@code sun.misc.Unsafe},
     * and JDK 24+ prints a deprecation warning on the host's stderr. The property name is relocated with
     * ByteBuddy, so it switches off only the agent's own copy, never the host's.
     */
    private static void disableNexus() {
        String property = net.bytebuddy.ByteBuddy.class.getPackageName() + ".nexus.disabled";
        if (System.getProperty(property) == null) {
            System.setProperty(property, "true");
        }
    }

    /** Without a listener ByteBuddy drops transformation errors silently. */
    private static final class TransformationLog extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            AgentLog.debug("guarding " + type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            AgentLog.error("could not instrument " + typeName + "; calls through it are NOT guarded", error);
        }
    }
}
