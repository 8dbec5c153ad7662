package dev.llmbudget.agent;

import dev.llmbudget.instrument.openai.OpenAiSdkInstrumentation;
import dev.llmbudget.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs every library's instrumentation with one ByteBuddy {@link AgentBuilder}. Types are matched
 * by exact name, so a class load costs a string comparison; at {@code premain} nothing is
 * retransformed (the libraries are not loaded yet), which keeps the agent off the JVM's start path.
 */
final class Instrumenter {
    private static final List<dev.llmbudget.instrument.Instrumentation> INSTRUMENTATIONS =
            List.of(new OpenAiSdkInstrumentation());

    private Instrumenter() {
    }

    static void install(Instrumentation instrumentation, boolean lateAttach) {
        disableNexus();
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(lateAttach ? AgentBuilder.RedefinitionStrategy.RETRANSFORMATION
                        : AgentBuilder.RedefinitionStrategy.DISABLED)
                .with(new TransformationLog());
        for (dev.llmbudget.instrument.Instrumentation library : INSTRUMENTATIONS) {
            builder = library.extend(builder);
        }
        builder.installOn(instrumentation);
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
