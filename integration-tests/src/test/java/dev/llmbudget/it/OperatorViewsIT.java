package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.llmbudget.it.apps.SpendHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.FreePorts;
import dev.llmbudget.it.support.Ledger;
import dev.llmbudget.it.support.RemoteJmx;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees and hears of a running agent: budget thresholds alerting once each to a webhook while 16
 * threads spend, and the MBeans a JMX client reads, reloads through and hears notifications from.
 */
class OperatorViewsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eachThresholdAlertsExactlyOnceToTheWebhookWhileSixteenThreadsSpend() throws Exception {
        List<JsonNode> posts = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hooks/alerts", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                posts.add(JSON.readTree(body));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        // each call holds $0.000126 and settles $0.000027; the threads call until the budget itself is spent, so the
        // settled spend ends above $0.004 - $0.000126 = $0.003874, past the 95% threshold ($0.0038)
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=0.004", "budget.daily.window=day",
                "budget.daily.alert-at=0.5,0.8,0.95",
                "alerts.webhook.url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/alerts?token=secret");
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            ChildJvm.Result result = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .run(SpendHost.class, "until-refused", "16");
            assertTrue(result.callsWith("refused").size() > 0, "the budget was reached:\n" + result);

            List<JsonNode> thresholds = posts.stream().filter(post -> post.path("kind").asText().equals("threshold")).toList();
            assertEquals(List.of(50, 80, 95), thresholds.stream().map(post -> post.path("percent").asInt()).toList(),
                    "each threshold once, in order: " + posts);
            long settled = Ledger.sum(Ledger.read(AgentConfigFile.ledger(dir)), "settledMicroUsd");
            for (JsonNode post : thresholds) {
                assertEquals("daily", post.path("budget").asText());
                assertEquals(4_000, post.path("limitMicroUsd").asLong());
                long spent = post.path("spentMicroUsd").asLong();
                assertTrue(spent * 100 >= 4_000L * post.path("percent").asInt() && spent <= settled, post.toString());
                assertTrue(post.path("text").asText().contains("daily"), "Slack shows the text: " + post);
                assertNotNull(post.get("windowEnd"));
            }
            long refusalAlerts = posts.stream().filter(post -> post.path("kind").asText().equals("refusal")).count();
            assertEquals(1, refusalAlerts, "a wall hit again and again alerts once per window: " + posts);
            assertEquals(3, result.stderr().lines().filter(line -> line.contains("ALERT") && line.contains("reached")).count(),
                    result.stderr());
            assertTrue(!result.stderr().contains("token=secret"), "the webhook URL's secret is never logged");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aJmxClientReadsTheBudgetsReloadsTheFileAndHearsTheRefusalAlert() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.daily.limit-usd=10", "budget.daily.window=day", "config.reload=false");
        int port = FreePorts.loopback();
        ObjectName agent = new ObjectName("dev.llmbudget:type=Agent");
        ObjectName daily = new ObjectName("dev.llmbudget:type=Budget,name=daily");
        try (FakeOpenAi fake = FakeOpenAi.start();
             ChildJvm.Running child = RemoteJmx.listening(ChildJvm.onCurrentJdk().withAgent(config), port)
                     .systemProperty("it.baseUrl", fake.baseUrl()).start(SpendHost.class, "paced", "1000", "20");
             JMXConnector connector = RemoteJmx.connect(child, port, daily)) {
            child.await("calls", 60, () -> child.countLines("CALL ok") >= 5);
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            List<Notification> heard = new CopyOnWriteArrayList<>();
            jmx.addNotificationListener(agent, (notification, handback) -> heard.add(notification), null, null);

            assertEquals("enforce", jmx.getAttribute(agent, "Mode"));
            assertEquals(config.toString(), jmx.getAttribute(agent, "ConfigFile"));
            TabularData byLibrary = (TabularData) jmx.getAttribute(agent, "CallsByLibrary");
            assertTrue(byLibrary.get(new Object[] {"openai-sdk"}) != null, "calls counted by library: " + byLibrary);
            assertEquals(10_000_000L, jmx.getAttribute(daily, "LimitMicroUsd"));
            assertTrue((Long) jmx.getAttribute(daily, "SpentMicroUsd") > 0);
            assertTrue((Long) jmx.getAttribute(daily, "Calls") >= 5);
            assertNotNull(jmx.getAttribute(daily, "WindowEnd"));

            // config.reload=false: the file changes only when the operator says so, through reload()
            Files.writeString(config, Files.readString(config).replace("budget.daily.limit-usd=10", "budget.daily.limit-usd=0.0001"));
            String outcome = (String) jmx.invoke(agent, "reload", new Object[0], new String[0]);
            assertEquals("applied: changed budget.daily.limit-usd", outcome);
            child.await("a refusal", 30, () -> child.countLines("CALL refused") >= 1);
            child.await("the refusal alert over JMX", 30, () -> heard.stream()
                    .anyMatch(notification -> notification.getType().equals("dev.llmbudget.alert.refusal")));
            assertTrue((Long) jmx.getAttribute(daily, "Refusals") >= 1);
            assertEquals(outcome, jmx.getAttribute(agent, "LastReloadResult"));

            jmx.invoke(agent, "halt", new Object[] {"operator: stop"}, new String[] {String.class.getName()});
            child.await("the halt alert over JMX", 30, () -> heard.stream()
                    .anyMatch(notification -> notification.getType().equals("dev.llmbudget.alert.halt")));
        }
    }
}
