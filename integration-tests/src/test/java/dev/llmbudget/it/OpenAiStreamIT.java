package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI chat streams through the real SDK: the agent asks for the stream's usage
 * ({@code stream_options.include_usage}) so it can settle exactly, and hides the usage-only chunk that
 * adds from an application that reads {@code choices().get(0)} of every chunk.
 */
class OpenAiStreamIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();

    @Test
    void aStreamIsSettledFromTheUsageTheAgentAskedForAndTheAppNeverSeesTheExtraChunk() throws Exception {
        fake.reportUsage(new FakeOpenAi.ReportedUsage(500, 0, 42, 0));
        Path config = AgentConfigFile.write(dir, "budget.run.limit-usd=1");

        ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .run(OpenAiHost.class, "chat-stream", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok stream 4 chunks 'A clearer version.'"), result.calls(), result::toString);
        JsonNode sent = new ObjectMapper().readTree(fake.requestBodies().get(0));
        assertTrue(sent.path("stream").asBoolean(), sent::toString);
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean(), "the agent asked for usage: " + sent);
        JsonNode line = Ledger.read(AgentConfigFile.ledger(dir)).get(0);
        assertEquals("settled", line.path("outcome").asText(), line::toString);
        assertEquals(true, line.path("stream").asBoolean());
        assertEquals(500, line.path("actual").path("inputTokens").asLong());
        assertEquals(42, line.path("actual").path("outputTokens").asLong());
        // gpt-4o-mini: $0.15 in, $0.60 out per million tokens
        assertEquals(-Math.floorDiv(-(500 * 150_000L + 42 * 600_000L), 1_000_000), line.path("settledMicroUsd").asLong());
    }

    @Test
    void withoutTheAgentTheSameAppReadsTheSameChunks() throws Exception {
        ChildJvm.Result result = ChildJvm.onCurrentJdk().systemProperty("it.baseUrl", fake.baseUrl())
                .run(OpenAiHost.class, "chat-stream", "gpt-4o-mini", "100");

        assertEquals(List.of("CALL ok stream 4 chunks 'A clearer version.'"), result.calls(), result::toString);
        JsonNode sent = new ObjectMapper().readTree(fake.requestBodies().get(0));
        assertTrue(sent.path("stream_options").isMissingNode(), "the SDK itself does not ask for usage: " + sent);
    }
}
