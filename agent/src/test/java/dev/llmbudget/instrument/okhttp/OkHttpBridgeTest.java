package dev.llmbudget.instrument.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The builder hook, called by hand here as the advice calls it from OkHttp's constructors. */
class OkHttpBridgeTest {
    private static final Interceptor APP = chain -> chain.proceed(chain.request());

    @Test
    void aNewBuilderGetsTheGuardFirst() {
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        OkHttpBridge.builderCreated(builder);
        builder.addInterceptor(APP);

        List<Interceptor> interceptors = builder.build().interceptors();

        assertEquals(2, interceptors.size(), interceptors::toString);
        assertEquals("llm-budget-agent OkHttp guard", interceptors.get(0).toString());
        assertSame(APP, interceptors.get(1));
    }

    @Test
    void theGuardIsAddedOnceHoweverOftenTheHookRuns() {
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        OkHttpBridge.builderCreated(builder);
        OkHttpBridge.builderCreated(builder);

        assertEquals(1, builder.interceptors().size());
    }

    @Test
    void aCopiedBuilderKeepsOneGuardFirstAndTheApplicationsInterceptorsInOrder() {
        OkHttpClient.Builder original = new OkHttpClient.Builder();
        OkHttpBridge.builderCreated(original);
        OkHttpClient client = original.addInterceptor(APP).build();

        // as at the end of Builder(OkHttpClient): Builder() added the guard, then the client's list (with it) was appended
        OkHttpClient.Builder copy = client.newBuilder();
        copy.interceptors().add(0, client.interceptors().get(0));
        OkHttpBridge.builderCreated(copy);

        List<Interceptor> interceptors = copy.interceptors();
        assertEquals(2, interceptors.size(), interceptors::toString);
        assertSame(client.interceptors().get(0), interceptors.get(0));
        assertSame(APP, interceptors.get(1));
    }

    @Test
    void everyClientOfOneOkHttpSharesOneGuard() {
        OkHttpClient.Builder first = new OkHttpClient.Builder();
        OkHttpClient.Builder second = new OkHttpClient.Builder();
        OkHttpBridge.builderCreated(first);
        OkHttpBridge.builderCreated(second);

        assertSame(first.interceptors().get(0), second.interceptors().get(0));
        assertEquals(first.interceptors().get(0), second.interceptors().get(0));
    }
}
