package dev.llmbudget.ops.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmbudget.config.AgentConfig;
import dev.llmbudget.config.TestConfigs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsEndpointTest {
    @TempDir
    Path dir;

    private AgentConfig config(String... lines) throws Exception {
        return TestConfigs.valid(dir, lines);
    }

    @Test
    void offUnlessThePortIsSet() throws Exception {
        assertNull(MetricsEndpoint.configured(config("ledger.enabled=false", "metrics.prometheus.host=0.0.0.0")));
    }

    @Test
    void onThisMachineByDefault() throws Exception {
        MetricsEndpoint at = MetricsEndpoint.configured(config("ledger.enabled=false", "metrics.prometheus.port=9464"));
        assertEquals(new MetricsEndpoint("127.0.0.1", 9464), at);
        assertEquals("http://127.0.0.1:9464/metrics", at.url());
    }

    @Test
    void onTheConfiguredAddress() throws Exception {
        MetricsEndpoint at = MetricsEndpoint.configured(config("ledger.enabled=false", "metrics.prometheus.port=9100",
                "metrics.prometheus.host=::1"));
        assertEquals(new MetricsEndpoint("::1", 9100), at);
        assertEquals("http://[::1]:9100/metrics", at.url());
    }
}
