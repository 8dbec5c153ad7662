package dev.llmbudget.instrument.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.core.BudgetSpec;
import dev.llmbudget.core.BudgetWindow;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.Guard;
import dev.llmbudget.core.GuardSettings;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.core.UnknownModelPolicy;
import dev.llmbudget.instrument.CallOwnership;
import dev.llmbudget.instrument.Enforcement;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import dev.llmbudget.store.MemoryStore;
import dev.llmbudget.tokens.TokenCounter;
import dev.llmbudget.wire.ProviderHosts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpCallGuardTest {
    private static final ModelPrice ONE_PER_TOKEN = new ModelPrice("test", 1_000_000, 500_000, 1_000_000, 1_000_000, 0);
    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":50}";
    private static final UnaryOperator<String> NO_HEADERS = name -> null;

    private final List<CallRecord> records = Collections.synchronizedList(new ArrayList<>());

    private void install(long limitMicros, String... hosts) {
        Guard guard = new Guard(new GuardSettings(List.of(new BudgetSpec("all", limitMicros, BudgetWindow.TOTAL, ModelGlob.ANY)),
                4_096, UnknownModelPolicy.BLOCK, null), new PriceTable(Map.of("gpt-4o-mini", ONE_PER_TOKEN)),
                new TokenCounter(), new MemoryStore(), Clock.systemUTC(), records::add);
        Enforcement.install(guard, false, hosts.length == 0 ? ProviderHosts.defaults() : ProviderHosts.of(List.of(hosts)));
    }

    @AfterEach
    void uninstall() {
        Enforcement.install(null, false, ProviderHosts.defaults());
    }

    private static Object begin(String url, String host, UnaryOperator<String> headers, String body) {
        return HttpCallGuard.begin("test", "POST", url, host, 443, headers, () -> body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMeteredCallToAKnownHostIsReservedAndSettledOnce() {
        install(1_000_000);
        Object begun = begin("https://api.openai.com/v1/chat/completions", "api.openai.com", NO_HEADERS, CHAT);

        HttpCall call = assertInstanceOf(HttpCall.class, begun);
        assertNull(call.bodyToSend(), "no ceiling configured: the application's body goes as it is");
        assertTrue(call.answered(200));
        call.bodyEnded(call.usageReader(), true);
        assertEquals(1, records.size());
        assertEquals(CallRecord.Outcome.CHARGED_RESERVATION, records.get(0).outcome(), "no usage was read");
    }

    @Test
    void otherHostsAndUnmeteredPathsPassWithoutReadingTheBody() {
        install(1_000_000);
        HttpCallGuard.BodySource unread = () -> {
            throw new AssertionError("the body must not be read");
        };
        assertNull(HttpCallGuard.begin("test", "POST", "https://example.com/v1/chat/completions", "example.com", 443, NO_HEADERS, unread));
        assertNull(HttpCallGuard.begin("test", "GET", "https://api.openai.com/v1/models", "api.openai.com", 443, NO_HEADERS, unread));
        assertNull(HttpCallGuard.begin("test", "POST", "https://api.openai.com/v1/files", "api.openai.com", 443, NO_HEADERS, unread));
        assertTrue(records.isEmpty());
    }

    @Test
    void aCallThatDoesNotFitIsRefused() {
        install(10);
        Object begun = begin("https://api.openai.com/v1/chat/completions", "api.openai.com", NO_HEADERS, CHAT);
        assertInstanceOf(BudgetExceededException.class, begun);
    }

    @Test
    void aCallALayerAboveOwnsIsPassedThroughAsOneOfItsAttempts() {
        install(1_000_000);
        HttpCall outer = assertInstanceOf(HttpCall.class,
                begin("https://api.openai.com/v1/chat/completions", "api.openai.com", NO_HEADERS, CHAT));
        outer.claimThread();
        try {
            assertNull(begin("https://api.openai.com/v1/chat/completions", "api.openai.com", NO_HEADERS, CHAT));
            assertNull(begin("https://api.openai.com/v1/chat/completions", "api.openai.com", NO_HEADERS, CHAT));
        } finally {
            outer.releaseThread();
        }
        assertTrue(!CallOwnership.isClaimed());
        outer.failed(new java.net.ConnectException("refused"));
        assertEquals(2, records.get(0).httpAttempts());
    }

    @Test
    void aRequestAnSdkMadeIsLeftToTheSdksLayer() {
        install(1_000_000);
        UnaryOperator<String> sdkHeaders = name -> name.equals("X-Stainless-Lang") ? "java" : null;
        assertNull(begin("https://api.openai.com/v1/chat/completions", "api.openai.com", sdkHeaders, CHAT));
    }

    @Test
    void aSelfHostedGatewayIsGuardedOnItsPort() {
        install(1_000_000, "llm-gateway.internal:8443");
        assertInstanceOf(HttpCall.class, HttpCallGuard.begin("test", "POST", "https://llm-gateway.internal:8443/v1/chat/completions",
                "llm-gateway.internal", 8443, NO_HEADERS, () -> CHAT.getBytes(StandardCharsets.UTF_8)));
        assertNull(HttpCallGuard.begin("test", "POST", "https://llm-gateway.internal:9443/v1/chat/completions",
                "llm-gateway.internal", 9443, NO_HEADERS, () -> CHAT.getBytes(StandardCharsets.UTF_8)));
        assertNull(begin("https://api.openai.com/v1/chat/completions", "api.openai.com", NO_HEADERS, CHAT),
                "an explicit list without the defaults");
    }

    @Test
    void aBodyThatDoesNotReadAsJsonIsStillGuardedConservatively() {
        install(1_000_000);
        Object begun = begin("https://api.openai.com/v1/chat/completions", "api.openai.com", NO_HEADERS, "model=gpt-4o-mini&prompt=hi");
        // its model cannot be known, so pricing.unknown-model decides: block (the default) refuses
        assertInstanceOf(BudgetExceededException.class, begun);
        assertEquals("unknown", records.get(0).call().model());
    }

    @Test
    void theOutputCeilingRewritesTheBody() {
        Guard guard = new Guard(new GuardSettings(List.of(new BudgetSpec("all", 1_000_000, BudgetWindow.TOTAL, ModelGlob.ANY)),
                4_096, UnknownModelPolicy.BLOCK, null, new dev.llmbudget.core.OutputCeiling(20, false)),
                new PriceTable(Map.of("gpt-4o-mini", ONE_PER_TOKEN)), new TokenCounter(), new MemoryStore(), Clock.systemUTC(), records::add);
        Enforcement.install(guard, false, ProviderHosts.defaults());
        HttpCall call = assertInstanceOf(HttpCall.class, begin("https://api.openai.com/v1/chat/completions", "api.openai.com", NO_HEADERS, CHAT));
        assertTrue(new String(call.bodyToSend(), StandardCharsets.UTF_8).contains("\"max_tokens\":20"));
    }
}
