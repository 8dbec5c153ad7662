package dev.llmbudget.agent;

import dev.llmbudget.instrument.context.EntryPoint;
import dev.llmbudget.instrument.context.Handoffs;
import dev.llmbudget.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;

/**
 * Watches class loading by name and builds the ByteBuddy transformer only when a class of an
 * instrumented library first loads. Until then the agent has loaded no ByteBuddy class, so an
 * application pays for instrumentation only once it uses an LLM client, and its start is not delayed.
 * Pure JDK on purpose, and no lambdas (their bootstrap would load {@code java.lang.invoke} at start).
 * A class that begins runs (an entry point's, LangChain4j's AI-service handler) also starts
 * instrumenting the JDK's executors, in the background ({@link Handoffs#startInstall}).
 */
final class DeferredTransformer implements ClassFileTransformer {
    private final Set<String> triggers;
    private final Set<String> runTriggers;
    private final Set<String> enabled;
    private final List<EntryPoint> entryPoints;
    private volatile ClassFileTransformer byteBuddy;
    private volatile boolean failed;

    DeferredTransformer(Set<String> triggers, Set<String> runTriggers, Set<String> enabled, List<EntryPoint> entryPoints) {
        this.triggers = triggers;
        this.runTriggers = runTriggers;
        this.enabled = enabled;
        this.entryPoints = entryPoints;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
        if (className == null || !triggers.contains(className)) {
            return null;
        }
        startHandoffsIfRunsBegin(className);
        ClassFileTransformer delegate = delegate();
        return delegate == null ? null
                : delegate.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
        if (className == null || !triggers.contains(className)) {
            return null;
        }
        startHandoffsIfRunsBegin(className);
        ClassFileTransformer delegate = delegate();
        return delegate == null ? null
                : delegate.transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    private void startHandoffsIfRunsBegin(String className) {
        if (runTriggers.contains(className)) {
            Handoffs.startInstall();
        }
    }

    private ClassFileTransformer delegate() {
        ClassFileTransformer current = byteBuddy;
        if (current != null || failed) {
            return current;
        }
        synchronized (this) {
            if (byteBuddy == null && !failed) {
                try {
                    byteBuddy = ByteBuddyInstaller.rawTransformer(enabled, entryPoints);
                } catch (Throwable error) {
                    failed = true;
                    AgentLog.error("llm-budget-agent cannot build its instrumentation: LLM calls in this JVM are NOT guarded", error);
                }
            }
            return byteBuddy;
        }
    }
}
