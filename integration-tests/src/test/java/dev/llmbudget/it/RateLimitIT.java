package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.it.apps.SpendHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code limits.rate.*} through the real OpenAI SDK: a minute's allowance may be used at once, then
 * calls are refused ({@code action=refuse}) or the calling thread is paced until the bucket has room
 * ({@code action=wait}, the seeds' inter-batch sleep done for the application).
 */
class RateLimitIT {
    @TempDir
    Path dir;

    @Test
    void overTheRateCallsAreRefusedAndNeverSent() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=10", "limits.rate.calls-per-minute=20");
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .run(SpendHost.class, "sequential", "25");
            assertEquals(20, result.callsWith("ok").size(), result::toString);
            List<String> refused = result.callsWith("refused");
            assertEquals(5, refused.size(), result::toString);
            assertTrue(refused.get(0).contains("dev.llmbudget.RateLimitExceededException")
                    && refused.get(0).contains("limits.rate.calls-per-minute=20"), refused.get(0));
            assertEquals(20, fake.requestCount(), "no refused call reached the provider");
        }
    }

    @Test
    void withWaitTheCallersArePacedToTheRateInsteadOfRefused() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=10", "limits.rate.calls-per-minute=240",
                "limits.rate.action=wait", "limits.rate.max-wait=30s");
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .run(SpendHost.class, "loop", "4", "65");
            List<String> ok = result.callsWith("ok");
            assertEquals(260, ok.size(), result::toString);
            assertEquals(260, fake.requestCount());
            // a burst of 240, then one call per 250 ms: call i (from 0) is admitted no earlier than (i + 1 - 240) x 250 ms
            // after the first was, whatever the machine's speed. The host prints when a call ended, and the first
            // call's own latency (connection set-up, class loading) is allowed for, up to a second
            List<Long> times = ok.stream().map(RateLimitIT::timeOf).sorted().toList();
            long first = times.get(0);
            for (int i = 240; i < times.size(); i++) {
                long earliest = (i + 1 - 240) * 250L - 1_000;
                assertTrue(times.get(i) - first >= earliest, "call " + i + " after " + (times.get(i) - first) + " ms");
            }
            System.out.printf("rate wait: 260 calls from 4 threads at 240/min took %d ms (paced: the last at least 5,000 ms after the first was admitted)%n",
                    times.get(times.size() - 1) - first);
        }
    }

    @Test
    void aWaitLongerThanMaxWaitIsRefused() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=10", "limits.rate.calls-per-minute=6",
                "limits.rate.action=wait", "limits.rate.max-wait=2s");
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .run(SpendHost.class, "sequential", "7");
            assertEquals(6, result.callsWith("ok").size(), result::toString);
            assertTrue(result.callsWith("refused").get(0).contains("limits.rate.max-wait=2s"), result::toString);
            assertEquals(6, fake.requestCount());
        }
    }

    /** The millisecond time SpendHost prints after {@code CALL ok}. */
    private static long timeOf(String line) {
        String[] words = line.trim().split(" ");
        return Long.parseLong(words[words.length - 1]);
    }
}
