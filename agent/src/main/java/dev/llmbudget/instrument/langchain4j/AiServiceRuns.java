package dev.llmbudget.instrument.langchain4j;

import dev.llmbudget.instrument.context.RunContext;
import java.lang.reflect.Method;

/**
 * One invocation of a LangChain4j AI-service method (through the {@code AiServices} proxy) is one run,
 * named {@code <service interface>#<method>}: every model call of its tool-calling loop counts toward it.
 * An invocation inside a run already open (an entry point, another AI service calling this one from a
 * tool) belongs to that run. {@code Object} methods ({@code toString}, ...) are not runs.
 */
public final class AiServiceRuns {
    private AiServiceRuns() {
    }

    /** See {@link RunContext#enter}; null when this invocation is not a run. */
    public static Object enter(Object proxy, Object method) {
        if (!(method instanceof Method invoked) || invoked.getDeclaringClass() == Object.class) {
            return null;
        }
        return RunContext.enter(serviceName(proxy, invoked) + "#" + invoked.getName());
    }

    public static void exit(Object token) {
        RunContext.exit(token);
    }

    /** The service interface the application asked {@code AiServices} for: the proxy's first interface. */
    private static String serviceName(Object proxy, Method method) {
        Class<?>[] interfaces = proxy == null ? new Class<?>[0] : proxy.getClass().getInterfaces();
        return interfaces.length > 0 ? interfaces[0].getName() : method.getDeclaringClass().getName();
    }
}
