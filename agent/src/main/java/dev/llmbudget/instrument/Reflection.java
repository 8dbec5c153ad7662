package dev.llmbudget.instrument;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls into an instrumented library by reflection (the agent has no compile dependency on it), so that an
 * exception the library throws comes out as the library threw it, not wrapped: the call paths around it
 * tell the library's own failures from the agent's.
 */
public final class Reflection {
    private Reflection() {
    }

    /**
     * {@code method.invoke(receiver, args)}, rethrowing the target's unchecked exception or error unwrapped.
     *
     * @throws ReflectiveOperationException when the method cannot be called, or threw a checked exception
     */
    public static Object invoke(Method method, Object receiver, Object... args) throws ReflectiveOperationException {
        try {
            return method.invoke(receiver, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
