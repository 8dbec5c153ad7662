package dev.llmbudget.instrument.stainless;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The one hook a Stainless-generated SDK needs: {@code <sdk>.core.http.RetryingHttpClient}, matched by
 * name, whose {@code execute} and {@code executeAsync} every request of every service passes once,
 * above the retry loop.
 */
public final class RetryingClientTransformation {
    private RetryingClientTransformation() {
    }

    /** The class to watch for, e.g. {@code com.openai.core.http.RetryingHttpClient}. */
    public static String retryingClient(String sdkPackage) {
        return sdkPackage + ".core.http.RetryingHttpClient";
    }

    public static AgentBuilder apply(AgentBuilder builder, String sdkPackage) {
        String httpRequest = sdkPackage + ".core.http.HttpRequest";
        return builder.type(named(retryingClient(sdkPackage)))
                .transform(new AgentBuilder.Transformer.ForAdvice()
                        .include(RetryingClientTransformation.class.getClassLoader())
                        .advice(named("execute").and(takesArguments(2)).and(takesArgument(0, named(httpRequest))),
                                ExecuteAdvice.class.getName())
                        .advice(named("executeAsync").and(takesArguments(2)).and(takesArgument(0, named(httpRequest))),
                                ExecuteAsyncAdvice.class.getName()));
    }
}
