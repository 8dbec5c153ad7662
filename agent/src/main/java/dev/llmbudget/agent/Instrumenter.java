package dev.llmbudget.agent;

import dev.llmbudget.instrument.context.EntryPoint;
import dev.llmbudget.instrument.context.Handoffs;
import dev.llmbudget.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;

/**
 * Installs the instrumentation. At {@code premain} no instrumented library is loaded yet, so only a
 * name watch is registered ({@link DeferredTransformer}) and ByteBuddy stays unloaded until a client
 * library's class loads; attached to a running JVM, everything is installed at once and classes
 * already loaded are retransformed. The JDK's executors are instrumented (so that runs follow their work
 * to other threads) only once runs can exist: when a class that begins them loads, or the first run opens.
 */
final class Instrumenter {
    private Instrumenter() {
    }

    /**
     * @param enabled the libraries to guard, by name ({@code instrumentation.<library>.enabled})
     * @param entryPoints {@code task.entry-points}
     */
    static void install(Instrumentation instrumentation, boolean lateAttach, Set<String> enabled, List<EntryPoint> entryPoints) {
        if (!entryPoints.isEmpty() || enabled.contains("langchain4j")) {
            Handoffs.prepareInstall(new HandoffInstall(instrumentation));
        }
        if (lateAttach) {
            ByteBuddyInstaller.installWithRetransformation(instrumentation, enabled, entryPoints);
            if (!entryPoints.isEmpty()) {
                Handoffs.startInstall();
            }
        } else {
            instrumentation.addTransformer(new DeferredTransformer(InstrumentedTypes.triggers(enabled, entryPoints),
                    InstrumentedTypes.runTriggers(enabled, entryPoints), enabled, entryPoints), false);
        }
    }

    /** Instruments the JDK's executors (on the thread {@link Handoffs#startInstall} starts). A class, not a lambda. */
    private static final class HandoffInstall implements Runnable {
        private final Instrumentation instrumentation;

        HandoffInstall(Instrumentation instrumentation) {
            this.instrumentation = instrumentation;
        }

        @Override
        public void run() {
            try {
                ByteBuddyInstaller.installHandoffs(instrumentation);
            } catch (Throwable error) {
                AgentLog.error("cannot instrument the JDK's executors: runs are not followed to other threads", error);
            }
        }
    }
}
