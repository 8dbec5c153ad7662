package dev.llmbudget.agent;

import dev.llmbudget.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Set;

/**
 * Watches class loading by name and builds the ByteBuddy transformer only when a class of an
 * instrumented library first loads. Until then the agent has loaded no ByteBuddy class, so an
 * application pays for instrumentation only once it uses an LLM client, and its start is not delayed.
 * Pure JDK on purpose, and no lambdas (their bootstrap would load {@code java.lang.invoke} at start).
 */
final class DeferredTransformer implements ClassFileTransformer {
    private final Set<String> triggers;
    private final Set<String> enabled;
    private volatile ClassFileTransformer byteBuddy;
    private volatile boolean failed;

    DeferredTransformer(Set<String> triggers, Set<String> enabled) {
        this.triggers = triggers;
        this.enabled = enabled;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
        if (className == null || !triggers.contains(className)) {
            return null;
        }
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
        ClassFileTransformer delegate = delegate();
        return delegate == null ? null
                : delegate.transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    private ClassFileTransformer delegate() {
        ClassFileTransformer current = byteBuddy;
        if (current != null || failed) {
            return current;
        }
        synchronized (this) {
            if (byteBuddy == null && !failed) {
                try {
                    byteBuddy = ByteBuddyInstaller.rawTransformer(enabled);
                } catch (Throwable error) {
                    failed = true;
                    AgentLog.error("llm-budget-agent cannot build its instrumentation: LLM calls in this JVM are NOT guarded", error);
                }
            }
            return byteBuddy;
        }
    }
}
