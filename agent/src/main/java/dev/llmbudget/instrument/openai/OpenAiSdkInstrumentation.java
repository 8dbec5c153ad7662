package dev.llmbudget.instrument.openai;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmbudget.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The OpenAI Java SDK ({@code com.openai:openai-java}): one class, matched by name,
 * {@code com.openai.core.http.RetryingHttpClient}, through which every request of every service
 * passes once, above the retry loop.
 */
public final class OpenAiSdkInstrumentation implements Instrumentation {
    public static final String RETRYING_CLIENT = "com.openai.core.http.RetryingHttpClient";
    private static final String HTTP_REQUEST = "com.openai.core.http.HttpRequest";

    @Override
    public String name() {
        return "openai-sdk";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        return builder.type(named(RETRYING_CLIENT))
                .transform(new AgentBuilder.Transformer.ForAdvice()
                        .include(OpenAiSdkInstrumentation.class.getClassLoader())
                        .advice(named("execute").and(takesArguments(2)).and(takesArgument(0, named(HTTP_REQUEST))),
                                ExecuteAdvice.class.getName())
                        .advice(named("executeAsync").and(takesArguments(2)).and(takesArgument(0, named(HTTP_REQUEST))),
                                ExecuteAsyncAdvice.class.getName()));
    }
}
