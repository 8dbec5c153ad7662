package dev.llmbudget.instrument.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmbudget.instrument.Instrumentation;
import java.lang.reflect.Method;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * LangChain4j 1.x ({@code dev.langchain4j:langchain4j-core}): the default {@code chat(ChatRequest, ...)}
 * methods of its {@code ChatModel} and {@code StreamingChatModel} interfaces, through which a call to
 * any provider module's model passes before {@code doChat}, where the provider retries (see
 * {@link LangChain4jBridge}). Two interfaces matched by name; no provider class is touched. Also the
 * handler of the {@code AiServices} proxies, where each AI-service method invocation becomes a run.
 */
public final class LangChain4jInstrumentation implements Instrumentation {
    /** Compile-time constants, so the JDK-only start path can name them without loading this class. */
    public static final String CHAT_MODEL = "dev.langchain4j.model.chat.ChatModel";
    public static final String STREAMING_CHAT_MODEL = "dev.langchain4j.model.chat.StreamingChatModel";
    /**
     * The {@code InvocationHandler} of every {@code AiServices} proxy in 1.x ({@code DefaultAiServices.build()}'s
     * anonymous class): each invocation through it is a run. Loading it means runs can exist in this JVM.
     */
    public static final String AI_SERVICE_HANDLER = "dev.langchain4j.service.DefaultAiServices$1";
    static final String CHAT_REQUEST = "dev.langchain4j.model.chat.request.ChatRequest";
    static final String STREAMING_HANDLER = "dev.langchain4j.model.chat.response.StreamingChatResponseHandler";

    @Override
    public String name() {
        return "langchain4j";
    }

    /**
     * Every {@code chat} overload that takes a {@code ChatRequest} first: in 1.19 {@code chat(ChatRequest)}
     * calls {@code chat(ChatRequest, ChatRequestOptions)}, which merges and calls {@code doChat}; earlier
     * 1.x releases merge in {@code chat(ChatRequest)} itself. The outermost one guards the call, the
     * inner one finds the thread owned and passes it through. And the {@code AiServices} proxies'
     * handler, {@code invoke(proxy, method, args)}: one run per AI-service method invocation.
     */
    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        ClassLoader agentLoader = LangChain4jInstrumentation.class.getClassLoader();
        return builder
                .type(named(CHAT_MODEL))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("chat").and(not(isAbstract())).and(takesArgument(0, named(CHAT_REQUEST))),
                                ChatAdvice.class.getName()))
                .type(named(STREAMING_CHAT_MODEL))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("chat").and(not(isAbstract())).and(takesArgument(0, named(CHAT_REQUEST)))
                                        .and(takesArguments(2).and(takesArgument(1, named(STREAMING_HANDLER)))
                                                .or(takesArguments(3).and(takesArgument(2, named(STREAMING_HANDLER))))),
                                StreamingChatAdvice.class.getName()))
                .type(named(AI_SERVICE_HANDLER))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("invoke").and(takesArguments(Object.class, Method.class, Object[].class)),
                                AiServiceAdvice.class.getName()));
    }
}
