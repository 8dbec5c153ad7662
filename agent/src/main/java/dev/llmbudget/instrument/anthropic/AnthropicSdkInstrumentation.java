package dev.llmbudget.instrument.anthropic;

import dev.llmbudget.instrument.Instrumentation;
import dev.llmbudget.instrument.stainless.RetryingClientTransformation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The Anthropic Java SDK ({@code com.anthropic:anthropic-java}), generated like OpenAI's: its
 * {@code RetryingHttpClient} sees every request of every service (messages, beta, async) once, above
 * the retry loop (see {@link RetryingClientTransformation}).
 */
public final class AnthropicSdkInstrumentation implements Instrumentation {
    static final String SDK_PACKAGE = "com.anthropic";
    /** A compile-time constant, so the JDK-only start path can name it without loading this class. */
    public static final String RETRYING_CLIENT = "com.anthropic.core.http.RetryingHttpClient";

    @Override
    public String name() {
        return "anthropic-sdk";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        return RetryingClientTransformation.apply(builder, SDK_PACKAGE);
    }
}
