package dev.llmbudget.wire.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeminiEndpointTest {
    private static final String API = "https://generativelanguage.googleapis.com/v1beta";
    private static final String VERTEX = "https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1";

    @Test
    void generateContentOfTheGeminiApi() {
        GeminiEndpoint endpoint = GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:generateContent?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI");
        assertEquals("gemini-2.5-flash", endpoint.model());
        assertEquals("generateContent", endpoint.label());
        assertFalse(endpoint.stream());
        assertFalse(endpoint.sse());
        assertTrue(endpoint.producesOutput());
        assertEquals("gemini-2.5-pro", GeminiEndpoint.of("post", API + "/models/gemini-2.5-pro:generateContent").model());
        assertEquals("gemini-2.0-flash", GeminiEndpoint.of("POST",
                "https://generativelanguage.googleapis.com/v1/models/gemini-2.0-flash:generateContent").model());
    }

    @Test
    void streamGenerateContentIsSseOnlyWithAltSse() {
        GeminiEndpoint sse = GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertEquals("streamGenerateContent", sse.label());
        assertEquals("gemini-2.5-flash", sse.model());
        assertTrue(sse.stream());
        assertTrue(sse.sse());
        assertTrue(sse.producesOutput());

        GeminiEndpoint array = GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:streamGenerateContent");
        assertTrue(array.stream());
        assertFalse(array.sse(), "without alt=sse the stream is a JSON array");

        assertTrue(GeminiEndpoint.of("POST", API + "/models/m:streamGenerateContent?key=AIza123&alt=sse").sse());
        assertTrue(GeminiEndpoint.of("POST", API + "/models/m:streamGenerateContent?$alt=sse").sse());
        assertTrue(GeminiEndpoint.of("POST", API + "/models/m:streamGenerateContent?alt=sse#frag").sse());
        assertFalse(GeminiEndpoint.of("POST", API + "/models/m:streamGenerateContent?alt=json").sse());
        assertFalse(GeminiEndpoint.of("POST", API + "/models/m:streamGenerateContent?salt=sse").sse());
        assertFalse(GeminiEndpoint.of("POST", API + "/models/m:streamGenerateContent?key=alt%3Dsse").sse());
        // alt=sse on a non-stream method changes nothing
        assertFalse(GeminiEndpoint.of("POST", API + "/models/m:generateContent?alt=sse").sse());
    }

    @Test
    void embeddingsProduceNoOutput() {
        GeminiEndpoint embed = GeminiEndpoint.of("POST", API + "/models/gemini-embedding-001:embedContent");
        assertEquals("embedContent", embed.label());
        assertEquals("gemini-embedding-001", embed.model());
        assertFalse(embed.producesOutput());
        assertFalse(embed.stream());

        GeminiEndpoint batch = GeminiEndpoint.of("POST", API + "/models/text-embedding-004:batchEmbedContents?key=k");
        assertEquals("batchEmbedContents", batch.label());
        assertEquals("text-embedding-004", batch.model());
        assertFalse(batch.producesOutput());
    }

    @Test
    void vertexAiPublisherModels() {
        GeminiEndpoint regional = GeminiEndpoint.of("POST", VERTEX + "/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
        assertEquals("gemini-2.5-pro", regional.model());
        assertTrue(regional.sse());
        assertEquals("gemini-2.5-flash", GeminiEndpoint.of("POST",
                "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-flash:generateContent").model());
        // Vertex AI express mode: no project in the path, an API key in the query
        assertEquals("gemini-2.5-flash-lite", GeminiEndpoint.of("POST",
                "https://aiplatform.googleapis.com/v1beta1/publishers/google/models/gemini-2.5-flash-lite:generateContent?key=AQ.x").model());
    }

    @Test
    void tunedModelsAndEndpointsKeepTheirCollection() {
        assertEquals("tunedModels/sentiment-v2-8f3k", GeminiEndpoint.of("POST", API + "/tunedModels/sentiment-v2-8f3k:generateContent").model());
        assertEquals("endpoints/1234567890", GeminiEndpoint.of("POST", VERTEX + "/endpoints/1234567890:generateContent").model());
    }

    @Test
    void theColonMayBePercentEncoded() {
        GeminiEndpoint endpoint = GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash%3AstreamGenerateContent?alt=sse");
        assertEquals("gemini-2.5-flash", endpoint.model());
        assertTrue(endpoint.sse());
        assertEquals("generateContent", GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash%3agenerateContent").label());
    }

    @Test
    void aTrailingSlashAndAFragmentAreIgnored() {
        assertEquals("generateContent", GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:generateContent/").label());
        assertEquals("generateContent", GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:generateContent#x").label());
        assertEquals("gemini-2.5-flash", GeminiEndpoint.of("POST", "http://localhost:8080/proxy/v1beta/models/gemini-2.5-flash:generateContent").model());
    }

    @Test
    void unmeteredMethodsAreNotRecognised() {
        assertNull(GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:countTokens"));
        assertNull(GeminiEndpoint.of("POST", VERTEX + "/publishers/google/models/gemini-2.5-flash:computeTokens"));
        assertNull(GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:batchGenerateContent"));
        assertNull(GeminiEndpoint.of("POST", API + "/models/gemini-embedding-001:asyncBatchEmbedContent"));
        assertNull(GeminiEndpoint.of("POST", API + "/models/imagen-4.0-generate-001:predict"));
        assertNull(GeminiEndpoint.of("POST", API + "/models/veo-3.0-generate-001:predictLongRunning"));
        assertNull(GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:generateContentX"));
        assertNull(GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:GenerateContent"));
    }

    @Test
    void otherResourcesAreNotRecognised() {
        assertNull(GeminiEndpoint.of("GET", API + "/models"));
        assertNull(GeminiEndpoint.of("GET", API + "/models/gemini-2.5-flash"));
        assertNull(GeminiEndpoint.of("POST", API + "/cachedContents"));
        assertNull(GeminiEndpoint.of("POST", "https://generativelanguage.googleapis.com/upload/v1beta/files"));
        assertNull(GeminiEndpoint.of("POST", API + "/files/abc:download"));
        assertNull(GeminiEndpoint.of("POST", API + "/batches/123:cancel"));
        assertNull(GeminiEndpoint.of("POST", API + "/cachedContents/abc:generateContent"));
        assertNull(GeminiEndpoint.of("POST", API + "/models/:generateContent"));
        assertNull(GeminiEndpoint.of("POST", "gemini-2.5-flash:generateContent"));
        assertNull(GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash"));
        assertNull(GeminiEndpoint.of("POST", "https://api.openai.com/v1/chat/completions"));
        // the OpenAI-compatible Gemini endpoint is the OpenAI protocol's
        assertNull(GeminiEndpoint.of("POST", API + "/openai/chat/completions"));
    }

    @Test
    void onlyPostIsMetered() {
        assertNull(GeminiEndpoint.of("GET", API + "/models/gemini-2.5-flash:generateContent"));
        assertNull(GeminiEndpoint.of(null, API + "/models/gemini-2.5-flash:generateContent"));
        assertNull(GeminiEndpoint.of("POST", null));
    }

    @Test
    void endpointsAreValues() {
        GeminiEndpoint a = GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=1");
        GeminiEndpoint b = GeminiEndpoint.of("POST", VERTEX + "/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, GeminiEndpoint.of("POST", API + "/models/gemini-2.5-flash:streamGenerateContent"));
        assertNotEquals(a, GeminiEndpoint.of("POST", API + "/models/gemini-2.5-pro:streamGenerateContent?alt=sse"));
        assertEquals("GeminiEndpoint[gemini-2.5-flash:streamGenerateContent?alt=sse]", a.toString());
        assertFalse(a.toString().contains("key"), "the URL's key is not kept");
    }
}
