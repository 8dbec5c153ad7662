package dev.llmbudget.wire.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class OpenAiEndpointTest {

    @Test
    void recognisesMeteredEndpointsByPathSuffix() {
        assertEquals(OpenAiEndpoint.CHAT_COMPLETIONS, OpenAiEndpoint.of("POST", "https://api.openai.com/v1/chat/completions"));
        assertEquals(OpenAiEndpoint.RESPONSES, OpenAiEndpoint.of("post", "https://api.openai.com/v1/responses"));
        assertEquals(OpenAiEndpoint.EMBEDDINGS, OpenAiEndpoint.of("POST", "http://localhost:11434/v1/embeddings/"));
        assertEquals(OpenAiEndpoint.COMPLETIONS, OpenAiEndpoint.of("POST", "https://api.openai.com/v1/completions"));
    }

    @Test
    void queryAndFragmentAreIgnored() {
        assertEquals(OpenAiEndpoint.CHAT_COMPLETIONS, OpenAiEndpoint.of("POST",
                "https://my-res.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21"));
        assertEquals(OpenAiEndpoint.RESPONSES, OpenAiEndpoint.of("POST", "https://x/v1/responses#frag"));
    }

    @Test
    void unmeteredCallsAreNotRecognised() {
        assertNull(OpenAiEndpoint.of("GET", "https://api.openai.com/v1/chat/completions"));
        assertNull(OpenAiEndpoint.of("GET", "https://api.openai.com/v1/responses/resp_123"));
        assertNull(OpenAiEndpoint.of("POST", "https://api.openai.com/v1/files"));
        assertNull(OpenAiEndpoint.of("POST", "https://api.openai.com/v1/responses/resp_123/cancel"));
        assertNull(OpenAiEndpoint.of("POST", null));
        assertNull(OpenAiEndpoint.of(null, "https://api.openai.com/v1/chat/completions"));
    }

    @Test
    void readsTheAzureDeployment() {
        assertEquals("gpt4o-prod", OpenAiEndpoint.azureDeployment(
                "https://my-res.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21"));
        assertNull(OpenAiEndpoint.azureDeployment("https://api.openai.com/v1/chat/completions"));
    }

    @Test
    void labelsAreTheLedgerNames() {
        assertEquals("chat.completions", OpenAiEndpoint.CHAT_COMPLETIONS.label());
        assertEquals("responses", OpenAiEndpoint.RESPONSES.label());
    }
}
