package dev.llmbudget.instrument.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmbudget.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * OkHttp 4 and 5 ({@code com.squareup.okhttp3}), for applications that call a provider's REST API by
 * hand. Two hooks, both by name, the same in 4.12 and 5.x: every {@code OkHttpClient.Builder} gets the
 * agent's interceptor ({@link GuardInterceptor}) as its first application interceptor, and
 * {@code RealCall.enqueue} marks a call as asynchronous (and carries the owner of an SDK call to the
 * dispatcher thread). Only requests to known LLM hosts ({@code providers.hosts}) are read.
 */
public final class OkHttpInstrumentation implements Instrumentation {
    /** Compile-time constants, so the JDK-only start path can name them without loading this class. */
    public static final String CLIENT_BUILDER = "okhttp3.OkHttpClient$Builder";
    public static final String REAL_CALL = "okhttp3.internal.connection.RealCall";

    @Override
    public String name() {
        return "okhttp";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        ClassLoader agentLoader = OkHttpInstrumentation.class.getClassLoader();
        return builder
                .type(named(CLIENT_BUILDER))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        // both constructors: Builder(OkHttpClient) runs Builder() and then copies the client's list
                        .advice(isConstructor(), BuilderAdvice.class.getName()))
                .type(named(REAL_CALL))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("enqueue").and(takesArguments(1)), EnqueueAdvice.class.getName()));
    }
}
