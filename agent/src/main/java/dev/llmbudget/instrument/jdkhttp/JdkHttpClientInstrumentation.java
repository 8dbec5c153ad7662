package dev.llmbudget.instrument.jdkhttp;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmbudget.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The JDK's {@code java.net.http.HttpClient}: {@code HttpClientImpl.send} and the public three-argument
 * {@code sendAsync} (the two-argument one calls it; {@code send} does not, it goes to a private
 * overload), so each request is seen once. The class lives in the platform class loader, which sees
 * none of the agent's classes: the advice reaches {@link JdkHttpHooks} through the system class loader
 * and passes only {@code java.base} types, so nothing has to be put on the boot class path.
 */
public final class JdkHttpClientInstrumentation implements Instrumentation {
    /** A compile-time constant, so the JDK-only start path can name it without loading this class. */
    public static final String CLIENT_IMPL = "jdk.internal.net.http.HttpClientImpl";

    private static final String HTTP_REQUEST = "java.net.http.HttpRequest";

    @Override
    public String name() {
        return "jdk-http-client";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        return builder.type(named(CLIENT_IMPL))
                .transform(new AgentBuilder.Transformer.ForAdvice()
                        .include(JdkHttpClientInstrumentation.class.getClassLoader())
                        .advice(named("send").and(isPublic()).and(takesArguments(2)).and(takesArgument(0, named(HTTP_REQUEST))),
                                SendAdvice.class.getName())
                        .advice(named("sendAsync").and(isPublic()).and(takesArguments(3)).and(takesArgument(0, named(HTTP_REQUEST))),
                                SendAsyncAdvice.class.getName()));
    }

    /** Inlined into {@code send(HttpRequest, BodyHandler)}. */
    public static final class SendAdvice {
        private SendAdvice() {
        }

        @SuppressWarnings("unchecked")
        @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
        public static Throwable enter(@Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request,
                                      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler,
                                      @Advice.Local("llmBudgetCall") Object call) throws Exception {
            Object[] begun = (Object[]) ((java.util.function.Function<Object, Object>) Class.forName(JdkHttpHooks.CLASS_NAME,
                    true, ClassLoader.getSystemClassLoader()).getField("BEGIN").get(null)).apply(new Object[] {request, handler});
            if (begun == null) {
                return null;
            }
            request = begun[0];
            handler = begun[1];
            call = begun[3];
            return (Throwable) begun[2];
        }

        @SuppressWarnings("unchecked")
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter Throwable refusal, @Advice.Local("llmBudgetCall") Object call,
                                @Advice.Thrown(readOnly = false) Throwable thrown) throws Exception {
            if (refusal != null) {
                thrown = refusal;
            } else if (call != null) {
                ((java.util.function.Function<Object, Object>) Class.forName(JdkHttpHooks.CLASS_NAME, true,
                        ClassLoader.getSystemClassLoader()).getField("SENT").get(null)).apply(new Object[] {call, null, thrown});
            }
        }
    }

    /** Inlined into {@code sendAsync(HttpRequest, BodyHandler, PushPromiseHandler)}: a refusal is a failed future, as any failure there. */
    public static final class SendAsyncAdvice {
        private SendAsyncAdvice() {
        }

        @SuppressWarnings("unchecked")
        @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
        public static Throwable enter(@Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request,
                                      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler,
                                      @Advice.Local("llmBudgetCall") Object call) throws Exception {
            Object[] begun = (Object[]) ((java.util.function.Function<Object, Object>) Class.forName(JdkHttpHooks.CLASS_NAME,
                    true, ClassLoader.getSystemClassLoader()).getField("BEGIN").get(null)).apply(new Object[] {request, handler});
            if (begun == null) {
                return null;
            }
            request = begun[0];
            handler = begun[1];
            call = begun[3];
            return (Throwable) begun[2];
        }

        @SuppressWarnings("unchecked")
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter Throwable refusal, @Advice.Local("llmBudgetCall") Object call,
                                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future,
                                @Advice.Thrown(readOnly = false) Throwable thrown) throws Exception {
            if (refusal != null) {
                future = java.util.concurrent.CompletableFuture.failedFuture(refusal);
                thrown = null;
            } else if (call != null) {
                ((java.util.function.Function<Object, Object>) Class.forName(JdkHttpHooks.CLASS_NAME, true,
                        ClassLoader.getSystemClassLoader()).getField("SENT").get(null)).apply(new Object[] {call, future, thrown});
            }
        }
    }
}
