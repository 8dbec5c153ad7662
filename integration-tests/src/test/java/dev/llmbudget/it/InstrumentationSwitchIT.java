package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.it.apps.AnthropicHost;
import dev.llmbudget.it.apps.OpenAiHost;
import dev.llmbudget.it.fake.FakeAnthropic;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code instrumentation.<library>.enabled=false} leaves that library untouched, says so, and guards the others. */
class InstrumentationSwitchIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi openAi = FakeOpenAi.perTest();
    @RegisterExtension
    final FakeAnthropic anthropic = new FakeAnthropic();

    @Test
    void aLibrarySwitchedOffPassesUnguardedWhileTheOthersStayGuarded() throws Exception {
        // a budget no call fits: only an unguarded call can reach its provider
        Path config = AgentConfigFile.write(dir, "budget.tiny.limit-usd=0.000001", "instrumentation.openai-sdk.enabled=false");

        ChildJvm.Result openAiResult = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", openAi.baseUrl())
                .run(OpenAiHost.class, "chat", "gpt-4o-mini", "100");
        ChildJvm.Result anthropicResult = ChildJvm.onCurrentJdk().withAgent(config)
                .systemProperty("it.baseUrl", anthropic.baseUrl()).run(AnthropicHost.class, "messages", "claude-sonnet-4-20250514", "100");

        assertEquals(1, openAiResult.callsWith("ok").size(), openAiResult::toString);
        assertEquals(1, openAi.requestCount());
        assertTrue(openAiResult.stderr().contains("instrumentation.openai-sdk.enabled=false: calls through openai-sdk are NOT guarded"),
                openAiResult::toString);
        assertEquals(1, anthropicResult.callsWith("refused").size(), anthropicResult::toString);
        assertEquals(0, anthropic.requestCount());
        assertEquals(1, Files.readAllLines(AgentConfigFile.ledger(dir)).size(), "only the guarded (refused) call is in the ledger");
    }
}
