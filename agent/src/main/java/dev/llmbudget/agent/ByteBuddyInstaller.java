package dev.llmbudget.agent;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.none;

import dev.llmbudget.instrument.anthropic.AnthropicSdkInstrumentation;
import dev.llmbudget.instrument.context.EntryPoint;
import dev.llmbudget.instrument.context.EntryPointInstrumentation;
import dev.llmbudget.instrument.context.HandoffInstrumentation;
import dev.llmbudget.instrument.jdkhttp.JdkHttpClientInstrumentation;
import dev.llmbudget.instrument.langchain4j.LangChain4jInstrumentation;
import dev.llmbudget.instrument.okhttp.OkHttpInstrumentation;
import dev.llmbudget.instrument.openai.OpenAiSdkInstrumentation;
import dev.llmbudget.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Builds every library's instrumentation, and the entry points', into one ByteBuddy {@link AgentBuilder};
 * the only class of the {@code agent} package that touches ByteBuddy, so that nothing loads it before it
 * is needed. Types are matched by exact name, and nothing already loaded is retransformed unless the agent
 * was attached to a running JVM, or, once runs can exist, the JDK's executors ({@link #installHandoffs}).
 */
final class ByteBuddyInstaller {
    private static final List<dev.llmbudget.instrument.Instrumentation> INSTRUMENTATIONS =
            List.of(new OpenAiSdkInstrumentation(), new AnthropicSdkInstrumentation(), new LangChain4jInstrumentation(),
                    new JdkHttpClientInstrumentation(), new OkHttpInstrumentation());

    private ByteBuddyInstaller() {
    }

    /** A transformer for {@link DeferredTransformer} to call for classes as they load. */
    static ClassFileTransformer rawTransformer(Set<String> enabled, List<EntryPoint> entryPoints) {
        return builder(AgentBuilder.RedefinitionStrategy.DISABLED, enabled, entryPoints).makeRaw();
    }

    /** Attached late: installs now, retransforming instrumented classes that are already loaded. */
    static void installWithRetransformation(Instrumentation instrumentation, Set<String> enabled, List<EntryPoint> entryPoints) {
        builder(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION, enabled, entryPoints).installOn(instrumentation);
    }

    /**
     * Instruments the JDK's executors ({@link HandoffInstrumentation}): those already loaded (most are)
     * are retransformed, the others as they load. The transformer sees only those classes by name, so
     * the rest of the JVM's class loading pays a set lookup, not ByteBuddy's matching.
     */
    static void installHandoffs(Instrumentation instrumentation) {
        disableNexus();
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // java.base classes, which the default ignores; the types are matched by exact name
                .ignore(none())
                .with(new TransformationLog());
        Set<String> internalNames = new HashSet<>();
        for (String type : HandoffInstrumentation.TYPES) {
            internalNames.add(type.replace('.', '/'));
        }
        ClassFileTransformer transformer = new NamedClassTransformer(internalNames, HandoffInstrumentation.extend(builder).makeRaw());
        // loaded first, all of them: one that the JVM loads while ByteBuddy transforms another (reflecting on its
        // signatures loads ForkJoinTask while it transforms ForkJoinPool) would be skipped by ByteBuddy's circularity guard
        for (String type : HandoffInstrumentation.TYPES) {
            try {
                Class.forName(type, false, null);
            } catch (ClassNotFoundException | LinkageError absent) {
                // not in this JDK: transformed if it ever loads
            }
        }
        instrumentation.addTransformer(transformer, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (HandoffInstrumentation.TYPES.contains(type.getName()) && instrumentation.isModifiableClass(type)) {
                loaded.add(type);
            }
        }
        if (!loaded.isEmpty()) {
            try {
                instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
            } catch (Exception | LinkageError error) {
                AgentLog.error("cannot instrument the JDK's executors " + loaded + ": runs are not followed to other threads", error);
            }
        }
    }

    private static AgentBuilder builder(AgentBuilder.RedefinitionStrategy redefinition, Set<String> enabled,
                                        List<EntryPoint> entryPoints) {
        disableNexus();
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(redefinition)
                // the default also ignores the bootstrap and platform loaders, where the JDK's HttpClient
                // lives; every instrumentation matches exact class names, so nothing else is touched. The
                // agent's own classes are told by their jar, not their package: an application's may share it
                // (the demo's entry point is dev.llmbudget.demo.RunawayLoop#run)
                .ignore(nameStartsWith("net.bytebuddy.").or(isSynthetic())).or(new AgentsOwnClasses())
                .with(new TransformationLog());
        for (dev.llmbudget.instrument.Instrumentation library : INSTRUMENTATIONS) {
            if (enabled.contains(library.name())) {
                builder = library.extend(builder);
            }
        }
        if (!entryPoints.isEmpty()) {
            builder = new EntryPointInstrumentation(entryPoints).extend(builder);
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

    /** The classes of the agent's jar (its own and the libraries shaded into it): never instrumented. */
    private static final class AgentsOwnClasses implements AgentBuilder.RawMatcher {
        private final String agentJar = location(ByteBuddyInstaller.class.getProtectionDomain());

        @Override
        public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module, Class<?> classBeingRedefined,
                               ProtectionDomain protectionDomain) {
            return agentJar != null && agentJar.equals(location(protectionDomain));
        }

        /** Compared as text: {@code URL.equals} may resolve host names. */
        private static String location(ProtectionDomain domain) {
            CodeSource source = domain == null ? null : domain.getCodeSource();
            return source == null || source.getLocation() == null ? null : source.getLocation().toString();
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
