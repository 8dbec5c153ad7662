package dev.llmbudget.it.apps;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClientAsync;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;

/**
 * A host application using the real Anthropic Java SDK, with no knowledge of the agent. Prints
 * {@code CALL ok <input> <output>}, {@code CALL refused <class> <message>} or {@code CALL error <class> <message>}.
 *
 * <p>Arguments: {@code <scenario: messages|messages-async|stream> <model> <maxTokens> [count]}; the fake's
 * URL from system property {@code it.baseUrl}.
 */
public final class AnthropicHost {
    private AnthropicHost() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("HOST main started");
        String scenario = args[0];
        String model = args[1];
        long maxTokens = Long.parseLong(args[2]);
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        for (int i = 0; i < count; i++) {
            MessageCreateParams params = MessageCreateParams.builder().model(model).maxTokens(maxTokens)
                    .system("You are a careful verifier.").addUserMessage("Give a clearer version of point " + i + ".")
                    .build();
            try {
                switch (scenario) {
                    case "messages" -> System.out.println("CALL ok " + describe(client().messages().create(params)));
                    case "messages-async" -> System.out.println("CALL ok " + describe(asyncClient().messages().create(params).get()));
                    case "stream" -> {
                        long events = 0;
                        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(params)) {
                            events = stream.stream().count();
                        }
                        System.out.println("CALL ok stream " + events + " events");
                    }
                    default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                }
            } catch (Throwable error) {
                Throwable cause = error instanceof java.util.concurrent.ExecutionException && error.getCause() != null
                        ? error.getCause() : error;
                boolean refused = cause.getClass().getName().startsWith("dev.llmbudget.");
                System.out.println("CALL " + (refused ? "refused " : "error ") + cause.getClass().getName() + " "
                        + String.valueOf(cause.getMessage()).replace('\n', ' '));
            }
        }
        System.out.println("HOST main finished");
        System.out.flush();
        System.exit(0);
    }

    private static String describe(Message message) {
        return message.usage().inputTokens() + " " + message.usage().outputTokens();
    }

    private static AnthropicClient client() {
        return AnthropicOkHttpClient.builder().baseUrl(System.getProperty("it.baseUrl")).apiKey("sk-ant-test-key-0000000000001")
                .maxRetries(Integer.getInteger("it.maxRetries", 2)).build();
    }

    private static AnthropicClientAsync asyncClient() {
        return AnthropicOkHttpClientAsync.builder().baseUrl(System.getProperty("it.baseUrl"))
                .apiKey("sk-ant-test-key-0000000000001").build();
    }
}
