package dev.llmbudget.agent;

import java.lang.instrument.Instrumentation;

/**
 * Installs the instrumentation. At {@code premain} no instrumented library is loaded yet, so only a
 * name watch is registered ({@link DeferredTransformer}) and ByteBuddy stays unloaded until a client
 * library's class loads; attached to a running JVM, everything is installed at once and classes
 * already loaded are retransformed.
 */
final class Instrumenter {
    private Instrumenter() {
    }

    static void install(Instrumentation instrumentation, boolean lateAttach) {
        if (lateAttach) {
            ByteBuddyInstaller.installWithRetransformation(instrumentation);
        } else {
            instrumentation.addTransformer(new DeferredTransformer(InstrumentedTypes.TRIGGERS), false);
        }
    }
}
