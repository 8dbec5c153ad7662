package dev.llmbudget.ops.alerts;

import static dev.llmbudget.ops.alerts.Receiver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmbudget.config.AgentConfig;
import dev.llmbudget.config.TestConfigs;
import dev.llmbudget.core.CallRecorder;
import dev.llmbudget.core.Partition;
import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.MemoryStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsTest {
    private static final Instant T = Instant.parse("2099-11-23T15:00:00Z");

    @TempDir
    Path dir;

    private AgentConfig config(String... lines) throws Exception {
        return TestConfigs.valid(dir, lines);
    }

    @Test
    void wiredFromTheConfigurationAndReloaded() throws Exception {
        MemoryStore store = new MemoryStore();
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (Receiver first = new Receiver(); Receiver second = new Receiver()) {
            AgentConfig config = config("ledger.enabled=false", "budget.daily.limit-usd=1", "budget.daily.window=day",
                    "budget.daily.per=tenant", "budget.daily.alert-at=0.5,0.8", "alerts.webhook.url=" + first.url(),
                    "alerts.refusals.min-interval=1h");
            Alerts alerts = Alerts.start(config, store, () -> T, warnings::add);
            try {
                assertEquals("alerts: alert-at on 1 budget(s), webhook http://127.0.0.1", alerts.describe());
                List<CallRecorder> recorders = alerts.recorders();
                AccountRef acme = Calls.account(Calls.budget("daily", 1_000_000, "day", Partition.TENANT), "tenant=acme", T);
                record(recorders, Calls.charge(store, acme, 600_000, T, "acme"));
                record(recorders, Calls.refused("refuse", "budget.daily.limit-usd", T, "acme"));
                record(recorders, Calls.refused("refuse", "budget.daily.limit-usd", T, "acme"));
                await("two POSTs", 10, () -> first.requests().size() == 2);
                assertEquals(Set.of("threshold", "refusal"), Set.of(first.bodies().get(0).get("kind").asText(),
                        first.bodies().get(1).get("kind").asText()), "the refusal is raised on the caller's thread, first");

                alerts.update(config("ledger.enabled=false", "budget.daily.limit-usd=1", "budget.daily.window=day",
                        "budget.daily.per=tenant", "budget.daily.alert-at=0.5,0.8", "alerts.webhook.url=" + second.url()));
                record(recorders, Calls.charge(store, acme, 300_000, T, "acme"));
                await("the 80% alert at the new webhook", 10, () -> second.requests().size() == 1);
                assertEquals(80, second.bodies().get(0).get("percent").intValue());
                assertEquals(2, first.requests().size());
            } finally {
                alerts.close();
            }
            assertEquals(3, warnings.stream().filter(line -> line.startsWith("ALERT ")).count(), warnings::toString);
        }
    }

    private static void record(List<CallRecorder> recorders, dev.llmbudget.core.CallRecord record) {
        for (CallRecorder recorder : recorders) {
            recorder.record(record);
        }
    }
}
