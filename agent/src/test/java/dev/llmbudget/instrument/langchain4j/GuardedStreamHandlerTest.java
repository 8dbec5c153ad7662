package dev.llmbudget.instrument.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.OutputCeiling;
import dev.llmbudget.core.Usage;
import dev.llmbudget.instrument.CallOwnership;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A streaming call: the handler LangChain4j gets forwards everything to the application's and settles on the way. */
class GuardedStreamHandlerTest {
    private static final ChatRequest REQUEST = ChatRequest.builder().messages(UserMessage.from("Summarise the review.")).build();

    private final Lc4jTestGuard test = new Lc4jTestGuard(1_000_000, OutputCeiling.NONE);
    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void noClaimLeftOnTheThread() {
        CallOwnership.restore(null);
    }

    /** What an application writes: only the two required callbacks and the text one, the rest LangChain4j's defaults. */
    private final StreamingChatResponseHandler application = new StreamingChatResponseHandler() {
        @Override
        public void onPartialResponse(String partialResponse) {
            seen.add("partial " + partialResponse);
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
            seen.add("complete, ledger lines: " + test.records.size());
        }

        @Override
        public void onError(Throwable error) {
            seen.add("error " + error.getMessage() + ", ledger lines: " + test.records.size());
        }
    };

    private StreamingChatResponseHandler guardedHandler() {
        StreamingChatModel model = AnthropicStreamingChatModel.builder().baseUrl("http://127.0.0.1:9/v1/")
                .apiKey("sk-ant-test-000000000001").modelName("claude-sonnet-4-20250514").maxTokens(500).build();
        Object[] arguments = {REQUEST, application};
        Object begun = LangChain4jBridge.begin(test.guard, model, arguments, true);
        assertInstanceOf(LangChain4jBridge.GuardedChat.class, begun);
        Object handler = LangChain4jBridge.arguments(begun, arguments)[1];
        assertNotSame(application, handler);
        LangChain4jBridge.endStream(begun, null);
        assertFalse(CallOwnership.isClaimed());
        assertTrue(test.records.isEmpty(), "a started stream is settled by its handler, not when chat() returns");
        return (StreamingChatResponseHandler) handler;
    }

    @Test
    void theCompletedStreamIsSettledAtItsUsageBeforeTheApplicationHearsOfIt() {
        StreamingChatResponseHandler handler = guardedHandler();

        handler.onPartialResponse(new PartialResponse("A clearer"), null);
        handler.onPartialResponse(" version.");
        handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("A clearer version."))
                .tokenUsage(AnthropicTokenUsage.builder().inputTokenCount(400).outputTokenCount(77)
                        .cacheReadInputTokens(100).cacheCreationInputTokens(20).build()).build());

        assertEquals(List.of("partial A clearer", "partial  version.", "complete, ledger lines: 1"), seen,
                "every callback reaches the application, LangChain4j's default methods included");
        CallRecord record = test.only();
        assertTrue(record.call().stream());
        assertEquals("anthropic", record.call().provider());
        assertEquals(500, record.call().maxOutputTokens());
        assertEquals(CallRecord.Outcome.SETTLED, record.outcome());
        assertEquals(new Usage(520, 100, 20, 77, 0), record.usage(), "Anthropic's input count excludes cache reads and writes");
    }

    @Test
    void aStreamFailingAfterSomeOutputIsChargedThatOutput() {
        StreamingChatResponseHandler handler = guardedHandler();

        handler.onPartialResponse(new PartialResponse("A clearer version of the churn analysis"), (PartialResponseContext) null);
        handler.onError(new RuntimeException("connection reset"));

        assertEquals("error connection reset, ledger lines: 1", seen.get(seen.size() - 1));
        CallRecord record = test.only();
        assertEquals(CallRecord.Outcome.SETTLED, record.outcome());
        assertTrue(record.usage().outputTokens() > 0, record::toString);
        assertTrue(record.settledMicros() < record.reservedMicros(), record::toString);
        assertTrue(record.detail().contains("output streamed so far"), record.detail());
    }

    @Test
    void aStreamFailingBeforeAnyOutputIsAFailedCall() {
        StreamingChatResponseHandler handler = guardedHandler();

        handler.onError(new RuntimeException(new ConnectException("Connection refused")));

        assertEquals(CallRecord.Outcome.RELEASED, test.only().outcome());
        assertEquals(1, seen.size());
    }

    @Test
    void theApplicationsCallbackRunsOutsideTheStreamedCallsOwnership() {
        boolean[] claimedInCallback = {true};
        StreamingChatResponseHandler probe = (StreamingChatResponseHandler) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {StreamingChatResponseHandler.class}, (proxy, method, args) -> {
                    claimedInCallback[0] = CallOwnership.isClaimed();
                    return null;
                });
        Object[] arguments = {REQUEST, probe};
        Object begun = LangChain4jBridge.begin(test.guard, AnthropicStreamingChatModel.builder().apiKey("sk-ant-test-000000000001")
                .modelName("claude-sonnet-4-20250514").build(), arguments, true);
        StreamingChatResponseHandler guarded = (StreamingChatResponseHandler) LangChain4jBridge.arguments(begun, arguments)[1];
        LangChain4jBridge.endStream(begun, null);
        // an HTTP layer delivering the stream lends the call's ownership to its I/O thread
        CallOwnership.Owner lent = CallOwnership.claim(null);

        guarded.onPartialResponse("A clearer");

        assertFalse(claimedInCallback[0], "a call the application starts from its callback is guarded as its own");
        assertSame(lent, CallOwnership.current(), "the delivering thread's ownership is restored after the callback");
    }

    @Test
    void anExceptionOfTheApplicationsCallbackReachesTheProviderUnchanged() {
        IllegalStateException thrown = new IllegalStateException("the application's own bug");
        StreamingChatModel model = AnthropicStreamingChatModel.builder().apiKey("sk-ant-test-000000000001")
                .modelName("claude-sonnet-4-20250514").build();
        Object[] arguments = {REQUEST, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                throw thrown;
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
            }

            @Override
            public void onError(Throwable error) {
            }
        }};
        Object begun = LangChain4jBridge.begin(test.guard, model, arguments, true);
        StreamingChatResponseHandler handler = (StreamingChatResponseHandler) LangChain4jBridge.arguments(begun, arguments)[1];
        LangChain4jBridge.endStream(begun, null);

        IllegalStateException caught = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> handler.onPartialResponse("x"));
        assertEquals(thrown, caught);
    }
}
