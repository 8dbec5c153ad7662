package dev.llmbudget.it.apps;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A host application using LangChain4j 1.x (its OpenAI and Anthropic provider modules, on LangChain4j's
 * JDK HttpClient) with no knowledge of the agent. Prints {@code CALL ok <input> <output>} (streams:
 * {@code CALL ok stream '<text>' <input> <output>}), {@code CALL refused <class> <message>} or
 * {@code CALL error <class> <message>}.
 *
 * <p>Arguments: {@code <scenario: openai-chat|openai-stream|anthropic-chat|anthropic-stream> <model> <maxTokens> [count]}.
 * System properties: {@code it.baseUrl} (the fake's), {@code it.maxRetries} (LangChain4j's default when unset),
 * {@code it.maxField} ({@code completion}: OpenAI's {@code maxCompletionTokens}, the default; {@code tokens}: {@code maxTokens}).
 */
public final class LangChain4jHost {

    private LangChain4jHost() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("HOST main started");
        String scenario = args[0];
        String model = args[1];
        int maxTokens = Integer.parseInt(args[2]);
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        for (int i = 0; i < count; i++) {
            ChatRequest request = ChatRequest.builder().messages(SystemMessage.from("You are the Verifier. Ask for a clearer version."),
                    UserMessage.from("Analyzer, round " + i + ": the dataset shows a 12% rise in churn.")).build();
            try {
                switch (scenario) {
                    case "openai-chat" -> System.out.println("CALL ok " + describe(openAi(model, maxTokens).chat(request)));
                    case "openai-stream" -> System.out.println("CALL ok " + stream(openAiStreaming(model, maxTokens), request));
                    case "anthropic-chat" -> System.out.println("CALL ok " + describe(anthropic(model, maxTokens).chat(request)));
                    case "anthropic-stream" -> System.out.println("CALL ok " + stream(anthropicStreaming(model, maxTokens), request));
                    default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                }
            } catch (Throwable error) {
                report(error);
            }
        }
        System.out.println("HOST main finished");
        System.out.flush();
        System.exit(0);
    }

    private static String stream(StreamingChatModel model, ChatRequest request) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                text.append(partialResponse);
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                done.complete(completeResponse);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            ChatResponse response = done.get(60, TimeUnit.SECONDS);
            return "stream '" + text + "' " + describe(response);
        } catch (ExecutionException failed) {
            throw (Exception) (failed.getCause() instanceof Exception cause ? cause : failed);
        }
    }

    private static String describe(ChatResponse response) {
        TokenUsage usage = response.tokenUsage();
        return usage == null ? "no-usage" : usage.inputTokenCount() + " " + usage.outputTokenCount();
    }

    private static void report(Throwable error) {
        Throwable refusal = CallLines.refusalIn(error);
        Throwable reported = refusal != null ? refusal : error;
        // a refusal wrapped by LangChain4j (its retry loop, a listener) would say so: the agent's must reach the caller as is
        String wrapped = refusal != null && refusal != error ? "wrapped-by " + error.getClass().getName() + " " : "";
        System.out.println("CALL " + (refusal != null ? "refused " : "error ") + wrapped + reported.getClass().getName() + " "
                + String.valueOf(reported.getMessage()).replace('\n', ' '));
    }

    private static final String OPENAI_KEY = "sk-test-host-key-000000000001";
    private static final String ANTHROPIC_KEY = "sk-ant-test-key-000000000001";

    private static ChatModel openAi(String model, int maxTokens) {
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder().baseUrl(System.getProperty("it.baseUrl"))
                .apiKey(OPENAI_KEY).modelName(model);
        if ("tokens".equals(System.getProperty("it.maxField"))) {
            builder.maxTokens(maxTokens);
        } else {
            builder.maxCompletionTokens(maxTokens);
        }
        if (System.getProperty("it.maxRetries") != null) {
            builder.maxRetries(Integer.getInteger("it.maxRetries"));
        }
        return builder.build();
    }

    private static StreamingChatModel openAiStreaming(String model, int maxTokens) {
        OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder()
                .baseUrl(System.getProperty("it.baseUrl")).apiKey(OPENAI_KEY).modelName(model);
        return ("tokens".equals(System.getProperty("it.maxField")) ? builder.maxTokens(maxTokens)
                : builder.maxCompletionTokens(maxTokens)).build();
    }

    /** LangChain4j's Anthropic base URL ends in {@code /v1/}; it appends {@code messages}. */
    private static String anthropicBaseUrl() {
        return System.getProperty("it.baseUrl") + "/v1/";
    }

    private static ChatModel anthropic(String model, int maxTokens) {
        AnthropicChatModel.AnthropicChatModelBuilder builder = AnthropicChatModel.builder().baseUrl(anthropicBaseUrl())
                .apiKey(ANTHROPIC_KEY).modelName(model).maxTokens(maxTokens);
        if (System.getProperty("it.maxRetries") != null) {
            builder.maxRetries(Integer.getInteger("it.maxRetries"));
        }
        return builder.build();
    }

    private static StreamingChatModel anthropicStreaming(String model, int maxTokens) {
        return AnthropicStreamingChatModel.builder().baseUrl(anthropicBaseUrl()).apiKey(ANTHROPIC_KEY).modelName(model)
                .maxTokens(maxTokens).build();
    }
}
