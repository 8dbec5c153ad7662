package dev.llmbudget.ops.killswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.config.AgentConfig;
import dev.llmbudget.config.TestConfigs;
import dev.llmbudget.core.HaltSwitch;
import dev.llmbudget.core.HaltSwitch.Halt;
import dev.llmbudget.ops.jmx.AgentMBeans;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The switches as the agent wires them, the MBean driven through the platform MBeanServer as a JMX client would. */
class KillSwitchesTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dir;

    private final ObjectName agent = name("dev.llmbudget:type=Agent");

    /** Before too: a runtime another test class wired in this JVM may have registered the agent's MBean. */
    @BeforeEach
    @AfterEach
    void unregister() {
        AgentMBeans.unregisterAgentControl();
    }

    /** The switches as the agent builds them, the MBean registered before this returns. */
    private static HaltSwitch from(AgentConfig config) {
        return KillSwitches.from(config, Runnable::run);
    }

    private AgentConfig config(String... lines) throws Exception {
        return TestConfigs.valid(dir, lines);
    }

    @Test
    void theMBeanHaltsAndResumesEveryCallThroughThePlatformMBeanServer() throws Exception {
        HaltSwitch halt = from(config("budget.b.limit-usd=1"));
        assertTrue(SERVER.isRegistered(agent), "jmx.enabled defaults to true");
        assertEquals(false, SERVER.getAttribute(agent, "Halted"));
        assertNull(SERVER.getAttribute(agent, "HaltReason"));
        assertNull(halt.check());

        SERVER.invoke(agent, "halt", new Object[] {"operator X: runaway"}, new String[] {String.class.getName()});
        assertEquals(new Halt("jmx:halt", "jmx: operator X: runaway"), halt.check());
        assertEquals(true, SERVER.getAttribute(agent, "Halted"));
        assertEquals("jmx: operator X: runaway", SERVER.getAttribute(agent, "HaltReason"));

        SERVER.invoke(agent, "halt", new Object[] {"operator Y: still running away"}, new String[] {String.class.getName()});
        assertEquals(new Halt("jmx:halt", "jmx: operator Y: still running away"), halt.check(), "a second halt replaces the reason");

        SERVER.invoke(agent, "resume", new Object[0], new String[0]);
        assertNull(halt.check());
        assertEquals(false, SERVER.getAttribute(agent, "Halted"));
        SERVER.invoke(agent, "resume", new Object[0], new String[0]);
        assertNull(halt.check(), "resuming what is not halted changes nothing");

        SERVER.invoke(agent, "halt", new Object[] {null}, new String[] {String.class.getName()});
        assertEquals(new Halt("jmx:halt", "jmx: halt() without a reason"), halt.check());
    }

    @Test
    void theMBeanDescribesItselfForAJmxClient() throws Exception {
        from(config("budget.b.limit-usd=1"));
        MBeanInfo info = SERVER.getMBeanInfo(agent);
        MBeanOperationInfo haltOp = Arrays.stream(info.getOperations()).filter(op -> op.getName().equals("halt"))
                .findFirst().orElseThrow();
        assertEquals("reason", haltOp.getSignature()[0].getName());
        assertTrue(haltOp.getDescription().contains("until resume()"), haltOp.getDescription());
        assertEquals(2, Arrays.stream(info.getAttributes())
                .filter(a -> a.getName().equals("Halted") || a.getName().equals("HaltReason")).count());
    }

    @Test
    void theFileAndJmxCombineTheJmxHaltFirstAndResumeLeavesTheFileHalting() throws Exception {
        Path file = dir.resolve("llm.halt");
        HaltSwitch halt = from(config("killswitch.file=llm.halt"));
        assertNull(halt.check());
        Files.writeString(file, "disk says stop");
        Halt byFile = new Halt("killswitch.file", "disk says stop (file " + file + ")");
        assertEquals(byFile, halt.check(), "a relative killswitch.file resolves against the configuration's folder");

        SERVER.invoke(agent, "halt", new Object[] {"alice"}, new String[] {String.class.getName()});
        assertEquals(new Halt("jmx:halt", "jmx: alice"), halt.check(), "the JMX halt is asked first");
        SERVER.invoke(agent, "resume", new Object[0], new String[0]);
        assertEquals(byFile, halt.check(), "resume() lifts only the JMX halt");
        assertEquals(true, SERVER.getAttribute(agent, "Halted"), "the attribute shows the file's halt too");
        assertEquals(byFile.reason(), SERVER.getAttribute(agent, "HaltReason"));

        Files.delete(file);
        assertNull(halt.check());
        assertEquals(false, SERVER.getAttribute(agent, "Halted"));
    }

    @Test
    void aSecondAgentWhoseNameIsTakenKeepsItsFileSwitchAndDoesNotFail() throws Exception {
        HaltSwitch first = from(config("budget.b.limit-usd=1"));
        Path file = dir.resolve("second.halt");
        HaltSwitch second = from(config("killswitch.file=" + file));

        SERVER.invoke(agent, "halt", new Object[] {"the first agent's MBean"}, new String[] {String.class.getName()});
        assertEquals("jmx: the first agent's MBean", first.check().reason());
        assertNull(second.check(), "the MBean the name points at is the first agent's");
        Files.createFile(file);
        assertEquals(new Halt("killswitch.file", "file " + file + " exists"), second.check());
    }

    @Test
    void theAgentRegistersTheMBeanOffTheCallingThread() throws Exception {
        HaltSwitch halt = KillSwitches.from(config("budget.b.limit-usd=1"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!SERVER.isRegistered(agent) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        SERVER.invoke(agent, "halt", new Object[] {"bob"}, new String[] {String.class.getName()});
        assertEquals(new Halt("jmx:halt", "jmx: bob"), halt.check());
    }

    @Test
    void aFileInAFolderCreatedAfterStartHaltsAllTheSame() throws Exception {
        HaltSwitch halt = from(config("jmx.enabled=false", "killswitch.file=later/llm.halt"));
        assertNull(halt.check());
        Files.createDirectories(dir.resolve("later"));
        Files.writeString(dir.resolve("later/llm.halt"), "made it");
        assertEquals(new Halt("killswitch.file", "made it (file " + dir.resolve("later/llm.halt") + ")"), halt.check());
    }

    @Test
    void withJmxDisabledAndNoFileThereIsNothingToCheck() throws Exception {
        HaltSwitch halt = from(config("jmx.enabled=false"));
        assertSame(HaltSwitch.NONE, halt);
        assertFalse(SERVER.isRegistered(agent));
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
