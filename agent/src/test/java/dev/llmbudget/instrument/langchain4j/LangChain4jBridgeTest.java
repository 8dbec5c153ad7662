package dev.llmbudget.instrument.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicChatRequestParameters;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.OutputCeiling;
import dev.llmbudget.core.Usage;
import dev.llmbudget.instrument.CallOwnership;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge against LangChain4j's real model, request and response objects, without bytecode: the advice only forwards to it. */
class LangChain4jBridgeTest {
    private static final ChatRequest REQUEST = ChatRequest.builder()
            .messages(SystemMessage.from("You are the Verifier."), UserMessage.from("Analyzer: churn rose 12%.")).build();

    @AfterEach
    void noClaimLeftOnTheThread() {
        CallOwnership.restore(null);
    }

    private static OpenAiChatModel openAi(UnaryOperator<OpenAiChatModel.OpenAiChatModelBuilder> settings) {
        return settings.apply(OpenAiChatModel.builder().baseUrl("http://127.0.0.1:9/v1")
                .apiKey("sk-test-host-key-000000000001").modelName("gpt-4o-mini")).build();
    }

    private static ChatResponse response(TokenUsage usage) {
        return ChatResponse.builder().aiMessage(AiMessage.from("A clearer version.")).tokenUsage(usage).build();
    }

    @Test
    void aCallThatFitsIsClaimedWhileItRunsAndSettledAtTheResponsesUsage() {
        Lc4jTestGuard test = new Lc4jTestGuard(1_000_000, OutputCeiling.NONE);
        ChatModel model = openAi(b -> b.maxCompletionTokens(300));
        Object[] arguments = {REQUEST};

        Object begun = LangChain4jBridge.begin(test.guard, model, arguments, false);

        assertInstanceOf(LangChain4jBridge.GuardedChat.class, begun);
        assertTrue(CallOwnership.isClaimed(), "the layers under LangChain4j must see the call as owned");
        assertSame(REQUEST, LangChain4jBridge.arguments(begun, arguments)[0], "nothing to rewrite");
        OpenAiTokenUsage usage = OpenAiTokenUsage.builder().inputTokenCount(1_234).outputTokenCount(56)
                .inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(200).build()).build();
        LangChain4jBridge.end(begun, response(usage), null);

        assertFalse(CallOwnership.isClaimed());
        CallRecord record = test.only();
        assertEquals(CallRecord.Outcome.SETTLED, record.outcome());
        assertEquals(new Usage(1_234, 200, 0, 56, 0), record.usage());
        assertEquals("openai", record.call().provider());
        assertEquals("langchain4j.chat", record.call().endpoint());
        assertEquals("gpt-4o-mini", record.call().model(), "the model named by the model's defaults, merged as LangChain4j merges");
        assertEquals(300, record.call().maxOutputTokens());
        assertEquals(2, record.call().prompt().messages());
        assertFalse(record.call().stream());
        assertTrue(record.call().keyFingerprint().startsWith("sk-…0001#"), record.call().keyFingerprint());
    }

    @Test
    void bothOpenAiMaximaSetTheLargerIsReserved() {
        Lc4jTestGuard test = new Lc4jTestGuard(1_000_000, OutputCeiling.NONE);
        ChatRequest request = REQUEST.toBuilder().parameters(OpenAiChatRequestParameters.builder()
                .maxOutputTokens(700).maxCompletionTokens(250).build()).build();

        Object begun = LangChain4jBridge.begin(test.guard, openAi(b -> b), new Object[] {request}, false);
        LangChain4jBridge.end(begun, response(new TokenUsage(10, 5)), null);

        assertEquals(700, test.only().call().maxOutputTokens());
    }

    @Test
    void aCallAlreadyOwnedByAnOuterLayerPassesUntouched() {
        Lc4jTestGuard test = new Lc4jTestGuard(1_000_000, OutputCeiling.NONE);
        Object outer = LangChain4jBridge.begin(test.guard, openAi(b -> b), new Object[] {REQUEST}, false);

        assertNull(LangChain4jBridge.begin(test.guard, openAi(b -> b), new Object[] {REQUEST}, false));

        LangChain4jBridge.end(outer, response(new TokenUsage(10, 5)), null);
        assertEquals(1, test.records.size(), "guarded once, by the outermost layer");
    }

    @Test
    void aCallThatDoesNotFitIsRefusedAndTheThreadIsNotClaimed() {
        Lc4jTestGuard test = new Lc4jTestGuard(100, OutputCeiling.NONE);

        Object begun = LangChain4jBridge.begin(test.guard, openAi(b -> b.maxCompletionTokens(1_000)), new Object[] {REQUEST}, false);

        assertInstanceOf(BudgetExceededException.class, LangChain4jBridge.refusal(begun));
        assertFalse(CallOwnership.isClaimed());
        assertEquals(CallRecord.Outcome.REFUSED, test.only().outcome());
    }

    @Test
    void aModelNamingNoModelIsLeftToTheLayersUnderIt() {
        Lc4jTestGuard test = new Lc4jTestGuard(1_000_000, OutputCeiling.NONE);
        ChatModel wrapper = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                throw new UnsupportedOperationException();
            }
        };

        assertNull(LangChain4jBridge.begin(test.guard, wrapper, new Object[] {REQUEST}, false));
        assertFalse(CallOwnership.isClaimed());
        assertTrue(test.records.isEmpty());
    }

    @Test
    void theCeilingClampsMaxCompletionTokensWhereTheApplicationSetIt() {
        ChatRequestParameters sent = clamped(openAi(b -> b.maxCompletionTokens(5_000)));

        OpenAiChatRequestParameters openAi = assertInstanceOf(OpenAiChatRequestParameters.class, sent, "the provider casts to its subclass");
        assertEquals(100, openAi.maxCompletionTokens());
        assertNull(openAi.maxOutputTokens(), "max_tokens is not added beside max_completion_tokens");
    }

    @Test
    void theCeilingClampsMaxTokensWhereTheApplicationSetThat() {
        OpenAiChatRequestParameters sent = (OpenAiChatRequestParameters) clamped(openAi(b -> b.maxTokens(5_000)));

        assertEquals(100, sent.maxOutputTokens());
        assertNull(sent.maxCompletionTokens());
    }

    @Test
    void withNoMaximumSetOpenAiGetsMaxCompletionTokensAsTheHttpLayersWriteIt() {
        OpenAiChatRequestParameters sent = (OpenAiChatRequestParameters) clamped(openAi(b -> b));

        assertEquals(100, sent.maxCompletionTokens());
        assertNull(sent.maxOutputTokens());
    }

    @Test
    void theCeilingClampsAnthropicsMaxTokensAndKeepsItsParameterType() {
        AnthropicChatModel anthropic = AnthropicChatModel.builder().baseUrl("http://127.0.0.1:9/v1/").apiKey("sk-ant-test-000000000001")
                .modelName("claude-sonnet-4-20250514").maxTokens(4_000).build();

        ChatRequestParameters sent = clamped(anthropic);

        assertInstanceOf(AnthropicChatRequestParameters.class, sent);
        assertEquals(100, sent.maxOutputTokens());
    }

    /** The parameters LangChain4j will hand the provider after the bridge rewrote the request to a ceiling of 100. */
    private static ChatRequestParameters clamped(ChatModel model) {
        Lc4jTestGuard test = new Lc4jTestGuard(1_000_000, new OutputCeiling(100, false));
        Object[] arguments = {REQUEST};

        Object begun = LangChain4jBridge.begin(test.guard, model, arguments, false);

        ChatRequest rewritten = (ChatRequest) LangChain4jBridge.arguments(begun, arguments)[0];
        assertNotSame(REQUEST, rewritten);
        LangChain4jBridge.end(begun, response(new TokenUsage(10, 5)), null);
        assertEquals(100, test.only().outputTokensAssumed());
        // exactly what ChatModel.chat(ChatRequest, ChatRequestOptions) does next
        return model.defaultRequestParameters().overrideWith(rewritten.parameters());
    }

    @Test
    void aRequestThatCannotBeClampedReleasesItsReservationAndGoesThroughOnInternalError() {
        Lc4jTestGuard test = new Lc4jTestGuard(1_000_000, new OutputCeiling(100, false));
        ChatModel stubborn = new ChatModel() {
            @Override
            public ChatRequestParameters defaultRequestParameters() {
                return ignoringOverrides();
            }
        };

        Object begun = LangChain4jBridge.begin(test.guard, stubborn, new Object[] {REQUEST}, false);

        assertNull(begun, "on-internal-error=allow (the default) lets it through");
        assertFalse(CallOwnership.isClaimed());
        assertEquals(CallRecord.Outcome.RELEASED, test.only().outcome());
        assertTrue(test.only().detail().contains("guarding failed before sending"), test.only().detail());
    }

    /** Parameters of a custom model that name a model and 5,000 output tokens, and ignore every override. */
    private static ChatRequestParameters ignoringOverrides() {
        return (ChatRequestParameters) Proxy.newProxyInstance(ChatRequestParameters.class.getClassLoader(),
                new Class<?>[] {ChatRequestParameters.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "modelName" -> "gpt-4o-mini";
                    case "maxOutputTokens" -> 5_000;
                    case "overrideWith" -> proxy;
                    default -> null;
                });
    }

    @Test
    void anHttpErrorStatusReleasesAndAFailureAfterSendingIsCharged() {
        Lc4jTestGuard test = new Lc4jTestGuard(1_000_000, OutputCeiling.NONE);

        LangChain4jBridge.end(LangChain4jBridge.begin(test.guard, openAi(b -> b), new Object[] {REQUEST}, false), null,
                new InternalServerException(new HttpException(500, "{\"error\":\"fake failure\"}")));
        LangChain4jBridge.end(LangChain4jBridge.begin(test.guard, openAi(b -> b), new Object[] {REQUEST}, false), null,
                new RuntimeException(new ConnectException("Connection refused")));
        LangChain4jBridge.end(LangChain4jBridge.begin(test.guard, openAi(b -> b), new Object[] {REQUEST}, false), null,
                new TimeoutException(new java.net.http.HttpTimeoutException("request timed out")));

        assertEquals("http 500", test.records.get(0).detail());
        assertEquals(CallRecord.Outcome.RELEASED, test.records.get(0).outcome());
        assertEquals(CallRecord.Outcome.RELEASED, test.records.get(1).outcome());
        assertEquals(CallRecord.Outcome.CHARGED_RESERVATION, test.records.get(2).outcome());
    }

    @Test
    void aResponseWithoutCountsIsChargedItsReservation() {
        Lc4jTestGuard test = new Lc4jTestGuard(1_000_000, OutputCeiling.NONE);

        Object begun = LangChain4jBridge.begin(test.guard, openAi(b -> b), new Object[] {REQUEST}, false);
        LangChain4jBridge.end(begun, response(new TokenUsage(10, null)), null);

        assertEquals(CallRecord.Outcome.CHARGED_RESERVATION, test.only().outcome());
        assertEquals(test.only().reservedMicros(), test.only().settledMicros());
    }
}
