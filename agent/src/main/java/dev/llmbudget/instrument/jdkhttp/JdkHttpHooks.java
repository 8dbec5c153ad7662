package dev.llmbudget.instrument.jdkhttp;

import java.util.function.Function;

/**
 * What the advice in the JDK's {@code HttpClientImpl} calls. That class lives in the platform class
 * loader and cannot link to the agent's classes, so the advice looks this class up by name in the
 * system class loader (which holds the agent jar) and calls it through {@link Function}, a
 * {@code java.base} type both sides share. Arguments and results are {@code Object[]}: see
 * {@link JdkHttpBridge}.
 */
public final class JdkHttpHooks {
    /** Inlined into the advice as a constant. */
    public static final String CLASS_NAME = "dev.llmbudget.instrument.jdkhttp.JdkHttpHooks";

    /** {request, handler} → null to pass, or {request to send, handler to use, refusal or null, call state}. */
    public static final Function<Object, Object> BEGIN = new Begin();

    /** {call state, future or null, thrown or null} → null: the send returned, threw, or started asynchronously. */
    public static final Function<Object, Object> SENT = new Sent();

    private JdkHttpHooks() {
    }

    private static final class Begin implements Function<Object, Object> {
        @Override
        public Object apply(Object arguments) {
            Object[] args = (Object[]) arguments;
            return JdkHttpBridge.begin(args[0], args[1]);
        }
    }

    private static final class Sent implements Function<Object, Object> {
        @Override
        public Object apply(Object arguments) {
            Object[] args = (Object[]) arguments;
            JdkHttpBridge.sent(args[0], args[1], (Throwable) args[2]);
            return null;
        }
    }
}
