package dev.llmbudget.ops.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.core.Alert;
import dev.llmbudget.core.HaltSwitch;
import dev.llmbudget.core.HaltSwitch.Halt;
import dev.llmbudget.ops.killswitch.JmxKillSwitch;
import dev.llmbudget.ops.killswitch.KillSwitches;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control MBean driven through the platform MBeanServer as a JMX client would, over a runtime stand-in. */
class AgentControlTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final String[] ONE_STRING = {String.class.getName()};

    private final ObjectName agent = name(AgentControl.OBJECT_NAME);
    private final JmxKillSwitch jmx = new JmxKillSwitch(AgentControl.OBJECT_NAME);
    private final CallStats stats = new CallStats();
    private final Runtime runtime = new Runtime();
    private final AgentControl control = new AgentControl(jmx, runtime, stats);

    /** The runtime as the control sees it: a reload applies a configuration with a kill switch file that halts. */
    private final class Runtime implements AgentStatus {
        volatile HaltSwitch halts = jmx;
        volatile Instant lastReload;
        volatile String lastReloadResult;
        volatile RuntimeException failure;

        @Override
        public String mode() {
            return "shadow";
        }

        @Override
        public String configFile() {
            return "/etc/app/llm-budget.properties";
        }

        @Override
        public Instant lastReload() {
            return lastReload;
        }

        @Override
        public String lastReloadResult() {
            return lastReloadResult;
        }

        @Override
        public String reload() {
            if (failure != null) {
                throw failure;
            }
            halts = KillSwitches.of(jmx, () -> new Halt("killswitch.file", "disk says stop"));
            lastReload = Instant.parse("2026-11-23T10:15:30Z");
            lastReloadResult = "applied: killswitch.file=/var/run/llm.halt";
            return lastReloadResult;
        }

        @Override
        public HaltSwitch halts() {
            return halts;
        }
    }

    /** Before too: another test class may have left the agent's MBean registered. */
    @BeforeEach
    @AfterEach
    void unregister() {
        AgentMBeans.unregisterAgentControl();
    }

    private Object read(String attribute) throws Exception {
        return SERVER.getAttribute(agent, attribute);
    }

    @Test
    void haltResumeAndReloadThroughThePlatformMBeanServer() throws Exception {
        assertTrue(AgentMBeans.registerAgentControl(control));
        assertEquals(false, read("Halted"));
        assertEquals("shadow", read("Mode"));
        assertEquals("/etc/app/llm-budget.properties", read("ConfigFile"));
        assertNull(read("LastReload"));
        assertNull(read("LastReloadResult"));

        SERVER.invoke(agent, "halt", new Object[] {"alice: runaway loop"}, ONE_STRING);
        assertEquals(new Halt(JmxKillSwitch.RULE, "jmx: alice: runaway loop"), jmx.check());
        assertEquals(true, read("Halted"));
        assertEquals("jmx: alice: runaway loop", read("HaltReason"));

        assertEquals("applied: killswitch.file=/var/run/llm.halt", SERVER.invoke(agent, "reload", new Object[0], new String[0]));
        assertEquals("2026-11-23T10:15:30Z", read("LastReload"));
        assertEquals("applied: killswitch.file=/var/run/llm.halt", read("LastReloadResult"));
        assertEquals("jmx: alice: runaway loop", read("HaltReason"), "a reload keeps the operator's halt");

        SERVER.invoke(agent, "resume", new Object[0], new String[0]);
        assertNull(jmx.check());
        assertEquals(true, read("Halted"), "the switches of the reloaded configuration are the ones shown");
        assertEquals("disk says stop", read("HaltReason"));

        runtime.failure = new IllegalStateException("the file cannot be read");
        assertEquals("failed: java.lang.IllegalStateException: the file cannot be read",
                SERVER.invoke(agent, "reload", new Object[0], new String[0]));
    }

    @Test
    void callsByLibraryIsATableOfTheGuardedCalls() throws Exception {
        AgentMBeans.registerAgentControl(control);
        assertEquals(Map.of(), BudgetMBeansTest.rows(read("CallsByLibrary")));
        stats.record(CallStatsTest.record("allow", "budget.b.limit-usd", "openai-sdk", null, List.of(), List.of()));
        stats.record(CallStatsTest.record("allow", "budget.b.limit-usd", "openai-sdk", null, List.of(), List.of()));
        stats.record(CallStatsTest.record("unguarded", "on-internal-error", null, null, List.of(), List.of()));
        assertEquals(Map.of("openai-sdk", 2L, "unknown", 1L), BudgetMBeansTest.rows(read("CallsByLibrary")));
    }

    @Test
    void eachAlertIsANotificationAJmxListenerReceives() throws Exception {
        control.raise(alert(Alert.Kind.HALT)); // not registered yet: passes by
        assertTrue(AgentMBeans.registerAgentControl(control));
        BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
        NotificationListener listener = (notification, handback) -> received.add(notification);
        SERVER.addNotificationListener(agent, listener, null, null);
        try {
            Alert threshold = new Alert(Alert.Kind.THRESHOLD, Instant.parse("2026-11-23T10:00:00Z"), "budget.daily.limit-usd",
                    "daily", "global", 8_000_000, 10_000_000, 8_000, Instant.parse("2026-11-24T00:00:00Z"),
                    "budget 'daily' reached 80% of its limit: spent $8.00 of $10.00");
            control.raise(threshold);
            control.raise(alert(Alert.Kind.RESUME));

            Notification first = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(first, "no notification within 10 s");
            assertEquals("dev.llmbudget.alert.threshold", first.getType());
            assertEquals(agent, first.getSource());
            assertEquals(threshold.message(), first.getMessage());
            assertEquals(threshold.time().toEpochMilli(), first.getTimeStamp());
            Map<String, String> fields = new HashMap<>();
            fields.put("kind", "threshold");
            fields.put("time", "2026-11-23T10:00:00Z");
            fields.put("rule", "budget.daily.limit-usd");
            fields.put("budget", "daily");
            fields.put("partition", "global");
            fields.put("spentMicros", "8000000");
            fields.put("limitMicros", "10000000");
            fields.put("thresholdBasisPoints", "8000");
            fields.put("windowEnd", "2026-11-24T00:00:00Z");
            fields.put("message", threshold.message());
            assertEquals(fields, first.getUserData());

            Notification second = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(second);
            assertEquals("dev.llmbudget.alert.resume", second.getType());
            assertEquals(first.getSequenceNumber() + 1, second.getSequenceNumber());
            assertEquals(Map.of("kind", "resume", "time", "2026-11-23T11:00:00Z", "rule", "jmx:halt",
                    "message", "RESUMED by resume()"), second.getUserData(), "fields not set are left out");
        } finally {
            SERVER.removeNotificationListener(agent, listener);
        }
    }

    @Test
    void theMBeanListsItsNotificationsAndDescribesItsOperations() throws Exception {
        AgentMBeans.registerAgentControl(control);
        assertTrue(SERVER.isInstanceOf(agent, "javax.management.NotificationBroadcaster"), "jconsole offers to subscribe");
        MBeanInfo info = SERVER.getMBeanInfo(agent);
        MBeanNotificationInfo notifications = info.getNotifications()[0];
        assertEquals(List.of("dev.llmbudget.alert.threshold", "dev.llmbudget.alert.refusal", "dev.llmbudget.alert.circuit-open",
                "dev.llmbudget.alert.halt", "dev.llmbudget.alert.resume"), List.of(notifications.getNotifTypes()));
        assertTrue(Arrays.stream(info.getOperations()).anyMatch(op -> op.getName().equals("reload")
                && op.getDescription().contains("rejected")));
        assertTrue(Arrays.stream(info.getAttributes()).anyMatch(a -> a.getName().equals("CallsByLibrary")
                && a.getDescription().contains("per library")));
        assertEquals(List.of("ConfigFile", "Halted", "HaltReason", "LastReload", "LastReloadResult", "CallsByLibrary", "Mode")
                .stream().sorted().toList(), Arrays.stream(info.getAttributes()).map(a -> a.getName()).sorted().toList());
    }

    @Test
    void theControlOverTheKillSwitchesAloneHasNoConfigurationToShow() throws Exception {
        AgentMBeans.registerAgentControl(new AgentControl(jmx, jmx));
        assertNull(read("Mode"));
        assertNull(read("ConfigFile"));
        assertTrue(((String) SERVER.invoke(agent, "reload", new Object[0], new String[0])).startsWith("not available"));
    }

    private static Alert alert(Alert.Kind kind) {
        return Alert.of(kind, Instant.parse("2026-11-23T11:00:00Z"), "jmx:halt", null, "RESUMED by resume()");
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
