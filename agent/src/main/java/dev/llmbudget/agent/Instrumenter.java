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
