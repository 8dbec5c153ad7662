package dev.llmbudget.agent;

import dev.llmbudget.log.AgentLog;
import java.lang.instrument.Instrumentation;

/**
 * The agent's entry point: {@code -javaagent:llm-budget-agent.jar[=config=/path/agent.properties]}
 * ({@link #premain}) or attached to a running JVM ({@link #agentmain}). Never lets an exception
 * escape: the host application always starts.
 */
public final class AgentMain {
    private static volatile AgentRuntime runtime;

    private AgentMain() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, false);
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, true);
    }

    /** The running agent, or null before start (tests and tools in the same JVM). */
    public static AgentRuntime runtime() {
        return runtime;
    }

    private static synchronized void start(String args, Instrumentation instrumentation, boolean lateAttach) {
        if (runtime != null) {
            AgentLog.warn("llm-budget-agent is already running in this JVM; the second -javaagent is ignored");
            return;
        }
        try {
            runtime = AgentRuntime.start(args);
            Instrumenter.install(instrumentation, lateAttach, runtime.enabledInstrumentations(), runtime.entryPoints());
        } catch (Throwable error) {
            AgentLog.error("llm-budget-agent failed to start: LLM calls in this JVM are NOT guarded", error);
        }
    }
}
