package dev.llmbudget.instrument.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.OutputCeiling;
import dev.llmbudget.core.Permit;
import dev.llmbudget.instrument.CallOwnership;
import dev.llmbudget.tokens.Prompt;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interceptor in a real OkHttp 4 client against a local provider, with a real guard as the
 * agent's gate. The advice is not applied here: the tests call the bridge where it would.
 */
class GuardInterceptorTest {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say it better.\"}],"
            + "\"max_tokens\":100}";

    private LocalProvider provider;
    private OkHttpTestGuard guard;
    private OkHttpClient client;

    @BeforeEach
    void start() throws IOException {
        provider = new LocalProvider();
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        OkHttpBridge.builderCreated(builder);
        client = builder.build();
    }

    @AfterEach
    void stop() {
        provider.close();
        if (guard != null) {
            guard.close();
        }
        client.dispatcher().executorService().shutdown();
    }

    @Test
    void aCallThatFitsIsSentAndSettledAtTheReportedUsage() throws Exception {
        guard = new OkHttpTestGuard(1_000_000, OutputCeiling.NONE);

        try (Response response = client.newCall(chat(CHAT, "127.0.0.1")).execute()) {
            assertEquals(LocalProvider.COMPLETION, response.body().string());
            assertEquals("application/json", String.valueOf(response.body().contentType()));
        }

        CallRecord record = guard.only();
        assertEquals(CallRecord.Outcome.SETTLED, record.outcome());
        assertEquals(15, record.usage().inputTokens());
        assertEquals(40, record.usage().outputTokens());
        assertEquals(55, record.settledMicros());
        assertEquals(java.util.List.of(CHAT), provider.bodies, "sent as the application wrote it");
    }

    @Test
    void aCallThatDoesNotFitIsRefusedOnTheCallingThreadWithNothingSent() throws Exception {
        guard = new OkHttpTestGuard(50, OutputCeiling.NONE);

        BudgetExceededException refusal = assertThrows(BudgetExceededException.class,
                () -> client.newCall(chat(CHAT, "127.0.0.1")).execute());

        assertTrue(refusal.getMessage().contains("budget.run.limit-usd"), refusal.getMessage());
        assertEquals(0, provider.bodies.size());
        assertEquals("refuse", guard.only().decision());
    }

    @Test
    void anEnqueuedRefusalReachesOnFailureAsAnIOExceptionCausedByIt() throws Exception {
        guard = new OkHttpTestGuard(50, OutputCeiling.NONE);

        Object outcome = enqueue(chat(CHAT, "127.0.0.1")).get(10, TimeUnit.SECONDS);

        IOException failure = assertInstanceOf(IOException.class, outcome);
        assertInstanceOf(BudgetExceededException.class, failure.getCause());
        assertEquals(failure.getCause().getMessage(), failure.getMessage());
        assertEquals(0, provider.bodies.size());
    }

    @Test
    void anEnqueuedCallIsSettledWhenItsCallbackReadsTheBody() throws Exception {
        guard = new OkHttpTestGuard(1_000_000, OutputCeiling.NONE);

        Object outcome = enqueue(chat(CHAT, "127.0.0.1")).get(10, TimeUnit.SECONDS);

        assertEquals(LocalProvider.COMPLETION, outcome);
        assertEquals(CallRecord.Outcome.SETTLED, guard.only().outcome());
        assertEquals(55, guard.only().settledMicros());
    }

    @Test
    void anErrorStatusReleasesTheReservation() throws Exception {
        guard = new OkHttpTestGuard(1_000_000, OutputCeiling.NONE);
        provider.status = 500;

        try (Response response = client.newCall(chat(CHAT, "127.0.0.1")).execute()) {
            assertEquals(500, response.code());
            assertTrue(response.body().string().contains("failed"));
        }

        CallRecord record = guard.only();
        assertEquals(CallRecord.Outcome.RELEASED, record.outcome());
        assertEquals("http 500", record.detail());
        assertEquals(0, record.settledMicros());
    }

    @Test
    void aHostThatIsNotKnownPassesUntouched() throws Exception {
        guard = new OkHttpTestGuard(50, OutputCeiling.NONE);

        try (Response response = client.newCall(chat(CHAT, "localhost")).execute()) {
            assertEquals(LocalProvider.COMPLETION, response.body().string());
        }

        assertEquals(0, guard.records.size());
        assertEquals(1, provider.bodies.size());
    }

    @Test
    void aStreamWithoutUsageIsSettledFromTheOutputItCarried() throws Exception {
        guard = new OkHttpTestGuard(1_000_000, OutputCeiling.NONE);
        String stream = CHAT.replace("\"max_tokens\":100", "\"max_tokens\":100,\"stream\":true");

        try (Response response = client.newCall(chat(stream, "127.0.0.1")).execute()) {
            assertEquals(LocalProvider.STREAM, response.body().string());
        }

        CallRecord record = guard.only();
        assertEquals(CallRecord.Outcome.SETTLED, record.outcome());
        assertTrue(record.detail().startsWith("estimated from the output streamed so far"), record.detail());
        assertTrue(record.usage().outputTokens() > 0 && record.usage().outputTokens() < 100, record::toString);
    }

    @Test
    void theOutputCeilingRewritesTheBodySent() throws Exception {
        guard = new OkHttpTestGuard(1_000_000, new OutputCeiling(30, false));

        try (Response response = client.newCall(chat(CHAT, "127.0.0.1")).execute()) {
            response.body().string();
        }

        String sent = provider.bodies.get(0);
        assertTrue(sent.replace(" ", "").contains("30") && !sent.contains("100"), sent);
        assertTrue(guard.only().detail().contains("rewritten to 30"), guard.only()::toString);
    }

    @Test
    void aResponseClosedUnreadIsChargedItsReservation() throws Exception {
        guard = new OkHttpTestGuard(1_000_000, OutputCeiling.NONE);

        client.newCall(chat(CHAT, "127.0.0.1")).execute().close();

        CallRecord record = guard.only();
        assertEquals(CallRecord.Outcome.CHARGED_RESERVATION, record.outcome());
        assertEquals(record.reservedMicros(), record.settledMicros());
    }

    @Test
    void aResponseDroppedWithoutBeingClosedIsChargedItsReservationOnceCollected() throws Exception {
        guard = new OkHttpTestGuard(1_000_000, OutputCeiling.NONE);

        client.newCall(chat(CHAT, "127.0.0.1")).execute();

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (guard.records.isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        CallRecord record = guard.only();
        assertEquals(CallRecord.Outcome.CHARGED_RESERVATION, record.outcome());
        assertEquals("response dropped without being closed", record.detail());
    }

    @Test
    void aOneShotBodyCannotBeReadAndGoesAsOnInternalErrorSays() throws Exception {
        guard = new OkHttpTestGuard(1_000_000, OutputCeiling.NONE);
        RequestBody oneShot = new RequestBody() {
            @Override
            public MediaType contentType() {
                return JSON;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8(CHAT);
            }

            @Override
            public boolean isOneShot() {
                return true;
            }
        };

        try (Response response = client.newCall(new Request.Builder().url(provider.url("127.0.0.1")).post(oneShot).build()).execute()) {
            assertEquals(200, response.code());
        }

        assertEquals(java.util.List.of(CHAT), provider.bodies, "the one-shot body was sent whole, unread by the agent");
        assertEquals("unguarded", guard.only().decision());
    }

    @Test
    void aCallAnSdkAboveOwnsIsOneOfItsAttemptsNotGuardedAgain() throws Exception {
        guard = new OkHttpTestGuard(1_000_000, OutputCeiling.NONE);
        Permit permit = guard.guard.preflight(new LlmCall("openai", "chat.completions", "gpt-4o-mini",
                Prompt.ofText("Say it better."), 100, 1, true, false, null));

        CallOwnership.Owner owner = CallOwnership.claim(permit);
        try (Response response = client.newCall(chat(CHAT, "127.0.0.1")).execute()) {
            response.body().string();
        } finally {
            CallOwnership.release(owner);
        }
        assertEquals(1, permit.httpAttempts());

        // the asynchronous path: the owner is remembered at enqueue and the dispatcher thread reports to it
        owner = CallOwnership.claim(permit);
        CompletableFuture<Object> async;
        try {
            async = enqueue(chat(CHAT, "127.0.0.1"));
        } finally {
            CallOwnership.release(owner);
        }
        assertEquals(LocalProvider.COMPLETION, async.get(10, TimeUnit.SECONDS));
        assertEquals(2, permit.httpAttempts());
        assertEquals(0, guard.records.size(), "the owner settles the call; the interceptor wrote nothing");
        assertNull(CallOwnership.current());
    }

    @Test
    void anSdksAsynchronousRetryFromAThreadWithoutItsClaimPassesUntouched() throws Exception {
        guard = new OkHttpTestGuard(1_000_000, OutputCeiling.NONE);
        // as the OpenAI and Anthropic SDKs send it again from their timer thread: unowned, with their headers
        Request retry = chat(CHAT, "127.0.0.1").newBuilder().header("X-Stainless-Lang", "java")
                .header("X-Stainless-Retry-Count", "1").build();

        assertEquals(LocalProvider.COMPLETION, enqueue(retry).get(10, TimeUnit.SECONDS));

        assertEquals(0, guard.records.size(), "the SDK's layer guards its calls; the retry is not guarded again");
        assertEquals(1, provider.bodies.size());
    }

    private Request chat(String json, String host) {
        return new Request.Builder().url(provider.url(host)).header("Authorization", "Bearer sk-test-0001")
                .post(RequestBody.create(json, JSON)).build();
    }

    /** Enqueues as the advice on {@code RealCall.enqueue} would see it: the body text, or the failure. */
    private CompletableFuture<Object> enqueue(Request request) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Call call = client.newCall(request);
        OkHttpBridge.enqueued(call);
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call failed, IOException e) {
                outcome.complete(e);
            }

            @Override
            public void onResponse(Call done, Response response) throws IOException {
                try (response) {
                    outcome.complete(response.body().string());
                }
            }
        });
        return outcome;
    }
}
