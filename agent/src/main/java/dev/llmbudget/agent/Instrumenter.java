package dev.llmbudget.agent;

import java.lang.instrument.Instrumentation;
import java.util.Set;

/**
 * Installs the instrumentation. At {@code premain} no instrumented library is loaded yet, so only a
 * name watch is registered ({@link DeferredTransformer}) and ByteBuddy stays unloaded until a client
 * library's class loads; attached to a running JVM, everything is installed at once and classes
 * already loaded are retransformed.
 */
final class Instrumenter {
    private Instrumenter() {
    }

    /** @param enabled the libraries to guard, by name ({@code instrumentation.<library>.enabled}) */
    static void install(Instrumentation instrumentation, boolean lateAttach, Set<String> enabled) {
        if (lateAttach) {
            ByteBuddyInstaller.installWithRetransformation(instrumentation, enabled);
        } else {
            instrumentation.addTransformer(new DeferredTransformer(InstrumentedTypes.triggers(enabled), enabled), false);
        }
    }
}
