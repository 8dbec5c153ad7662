package dev.llmbudget.instrument.openai;

import dev.llmbudget.instrument.Instrumentation;
import dev.llmbudget.instrument.stainless.RetryingClientTransformation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The OpenAI Java SDK ({@code com.openai:openai-java}): its {@code RetryingHttpClient}, through which
 * every request of every service passes once, above the retry loop (see {@link RetryingClientTransformation}).
 */
public final class OpenAiSdkInstrumentation implements Instrumentation {
    static final String SDK_PACKAGE = "com.openai";
    /** A compile-time constant, so the JDK-only start path can name it without loading this class. */
    public static final String RETRYING_CLIENT = "com.openai.core.http.RetryingHttpClient";

    @Override
    public String name() {
        return "openai-sdk";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        return RetryingClientTransformation.apply(builder, SDK_PACKAGE);
    }
}
