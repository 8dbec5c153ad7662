package dev.llmbudget.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Set;

/** Passes only the classes of the given internal names to a transformer; every other class load costs a set lookup. */
final class NamedClassTransformer implements ClassFileTransformer {
    private final Set<String> names;
    private final ClassFileTransformer delegate;

    NamedClassTransformer(Set<String> names, ClassFileTransformer delegate) {
        this.names = Set.copyOf(names);
        this.delegate = delegate;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
        return className == null || !names.contains(className) ? null
                : delegate.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
        return className == null || !names.contains(className) ? null
                : delegate.transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }
}
