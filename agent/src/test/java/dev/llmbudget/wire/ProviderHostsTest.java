package dev.llmbudget.wire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderHostsTest {

    @Test
    void theDefaultsCoverThePublicApisOnAnyPort() {
        ProviderHosts hosts = ProviderHosts.defaults();
        assertTrue(hosts.matches("api.openai.com", 443));
        assertTrue(hosts.matches("API.Anthropic.com", 443));
        assertTrue(hosts.matches("generativelanguage.googleapis.com", 443));
        assertTrue(hosts.matches("openrouter.ai", 443));
    }

    @Test
    void aWildcardMatchesSubdomainsOnlyNotTheDomainItself() {
        ProviderHosts hosts = ProviderHosts.defaults();
        assertTrue(hosts.matches("my-resource.openai.azure.com", 443));
        assertFalse(hosts.matches("openai.azure.com", 443));
        assertFalse(hosts.matches("evil-openai.azure.com.example.org", 443));
    }

    @Test
    void otherHostsAreNotGuarded() {
        ProviderHosts hosts = ProviderHosts.defaults();
        assertFalse(hosts.matches("example.com", 443));
        assertFalse(hosts.matches("api.openai.com.example.com", 443));
        assertFalse(hosts.matches(null, 443));
    }

    @Test
    void aPortRestrictsTheMatchToThatPort() {
        ProviderHosts hosts = ProviderHosts.of(List.of("llm-gateway.internal:8443", "127.0.0.1"));
        assertTrue(hosts.matches("llm-gateway.internal", 8443));
        assertFalse(hosts.matches("llm-gateway.internal", 443));
        assertTrue(hosts.matches("127.0.0.1", 51234));
        assertFalse(hosts.matches("api.openai.com", 443), "defaults are not part of an explicit list");
    }

    @Test
    void badEntriesSayWhatIsWrong() {
        assertNull(ProviderHosts.problemWith(" *.example.com "));
        assertNotNull(ProviderHosts.problemWith("https://api.openai.com"));
        assertNotNull(ProviderHosts.problemWith("gateway:99999"));
        assertNotNull(ProviderHosts.problemWith("gateway:http"));
        assertNotNull(ProviderHosts.problemWith(""));
        assertNotNull(ProviderHosts.problemWith("bad..host"));
        assertNotNull(ProviderHosts.problemWith("-bad.host"));
        assertThrows(IllegalArgumentException.class, () -> ProviderHosts.of(List.of("a b")));
    }
}
