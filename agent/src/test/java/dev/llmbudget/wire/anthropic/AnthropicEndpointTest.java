package dev.llmbudget.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class AnthropicEndpointTest {
    private static final String BASE = "https://api.anthropic.com";

    @Test
    void messagesIsMetered() {
        assertEquals(AnthropicEndpoint.MESSAGES, AnthropicEndpoint.of("POST", BASE + "/v1/messages"));
        assertEquals(AnthropicEndpoint.MESSAGES, AnthropicEndpoint.of("post", BASE + "/v1/messages/"));
        assertEquals(AnthropicEndpoint.MESSAGES, AnthropicEndpoint.of("POST", "/v1/messages"));
        assertEquals("messages", AnthropicEndpoint.MESSAGES.label());
    }

    @Test
    void theBetaServicesQueryStringIsAllowed() {
        assertEquals(AnthropicEndpoint.MESSAGES, AnthropicEndpoint.of("POST", BASE + "/v1/messages?beta=true"));
        assertEquals(AnthropicEndpoint.MESSAGES, AnthropicEndpoint.of("POST", "http://localhost:8080/proxy/v1/messages?beta=true#x"));
    }

    @Test
    void otherEndpointsAreUnmetered() {
        assertNull(AnthropicEndpoint.of("POST", BASE + "/v1/messages/count_tokens"));
        assertNull(AnthropicEndpoint.of("POST", BASE + "/v1/messages/count_tokens?beta=true"));
        assertNull(AnthropicEndpoint.of("POST", BASE + "/v1/messages/batches"));
        assertNull(AnthropicEndpoint.of("GET", BASE + "/v1/messages/batches"));
        assertNull(AnthropicEndpoint.of("GET", BASE + "/v1/messages/batches/msgbatch_01/results"));
        assertNull(AnthropicEndpoint.of("POST", BASE + "/v1/messages/batches/msgbatch_01/cancel"));
        assertNull(AnthropicEndpoint.of("GET", BASE + "/v1/models"));
        assertNull(AnthropicEndpoint.of("POST", BASE + "/v1/files?beta=true"));
        assertNull(AnthropicEndpoint.of("POST", BASE + "/v1/complete"));
        assertNull(AnthropicEndpoint.of("POST", BASE + "/v1/messagesx"));
    }

    @Test
    void onlyPostIsMetered() {
        assertNull(AnthropicEndpoint.of("GET", BASE + "/v1/messages"));
        assertNull(AnthropicEndpoint.of(null, BASE + "/v1/messages"));
        assertNull(AnthropicEndpoint.of("POST", null));
    }
}
