package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.it.apps.KillSwitchHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.FreePorts;
import dev.llmbudget.it.support.RemoteJmx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill switches an operator reaches at 3 a.m., in a child JVM with the real agent and eight threads
 * calling through the real OpenAI SDK: the file of {@code killswitch.file}, and {@code halt(reason)} /
 * {@code resume()} on the MBean {@code dev.llmbudget:type=Agent} over a real JMX connector. Either halts the
 * very next call of every thread, before it leaves the JVM (the fake receives nothing but the calls already
 * on their way), and lifting it lets the next call of every thread through.
 */
class KillSwitchIT {
    private static final int THREADS = 8;
    /** Between one thread's calls: about 8 x 100 calls a second in all, so the two-core machine keeps up. */
    private static final String PAUSE_MILLIS = "10";
    /** Calls each thread makes before the switch: a loop that has been running a while, not a JVM just started. */
    private static final int WARM_UP_CALLS = 20;
    private static final Pattern CALL = Pattern.compile(
            "CALL (ok|refused|error) (w\\d+) (\\d+) (\\d+) (\\d+)(?: (\\S+) rule=(.*?) reason=(.*?) \\| (.*))?");
    private static final Pattern TAG = Pattern.compile("\\[(w\\d+)#(\\d+)\\]");

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeOpenAi fake = FakeOpenAi.perTest();

    /** One call of the host, as its line tells it. */
    record Call(String outcome, String thread, int seq, long start, long end, String type, String rule, String reason) {
        String tag() {
            return thread + "#" + seq;
        }
    }

    /** What the test did when, in microseconds of the wall clock the child shares, and the fake's count then. */
    record Switched(long before, long after, int requestsBefore) {
    }

    @Test
    void touchingTheFileRefusesTheNextCallOfEveryThreadAndRemovingItResumesThem() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.b.limit-usd=1000", "killswitch.file=llm-budget.halt");
        Path haltFile = dir.resolve("llm-budget.halt");
        Path stop = dir.resolve("stop");
        try (ChildJvm.Running child = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                .start(KillSwitchHost.class, String.valueOf(THREADS), PAUSE_MILLIS, stop.toString())) {
            awaitEveryThread(child, "calls going through", "ok", 0, WARM_UP_CALLS);

            // written aside and moved in, so that the first call to see the file already reads its reason
            Path written = Files.writeString(dir.resolve("halt.tmp"), "incident 7: runaway loop (dave)\n");
            int requestsBefore = fake.requestCount();
            long touchBefore = nowMicros();
            Files.move(written, haltFile, StandardCopyOption.ATOMIC_MOVE);
            Switched halted = new Switched(touchBefore, nowMicros(), requestsBefore);
            awaitEveryThread(child, "refusals after the touch", "refused", halted.after(), 3);

            int requestsAtRemoval = fake.requestCount();
            long removeBefore = nowMicros();
            Files.delete(haltFile);
            Switched resumed = new Switched(removeBefore, nowMicros(), requestsAtRemoval);
            awaitEveryThread(child, "calls again after the removal", "ok", resumed.after(), 3);
            Files.createFile(stop);
            ChildJvm.Result result = child.waitFor();

            String reason = "incident 7: runaway loop (dave) (file " + haltFile + ")";
            assertHaltedBetween(result, halted, resumed, "killswitch.file", reason, "touch");
            assertEquals(1, count(result.stderr(), "WARN HALTED by the kill switch file " + haltFile), result.stderr());
            assertEquals(1, count(result.stderr(), "WARN RESUMED: the kill switch file " + haltFile), result.stderr());
        }
    }

    @Test
    void haltOverJmxRefusesTheNextCallOfEveryThreadWithTheOperatorsReasonAndResumeLetsThemThrough() throws Exception {
        Path config = AgentConfigFile.write(dir, "budget.b.limit-usd=1000");
        Path stop = dir.resolve("stop");
        int port = FreePorts.loopback();
        try (ChildJvm.Running child = RemoteJmx.listening(ChildJvm.onCurrentJdk().withAgent(config), port)
                .systemProperty("it.baseUrl", fake.baseUrl())
                .start(KillSwitchHost.class, String.valueOf(THREADS), PAUSE_MILLIS, stop.toString())) {
            awaitEveryThread(child, "calls going through", "ok", 0, WARM_UP_CALLS);
            ObjectName agent = new ObjectName("dev.llmbudget:type=Agent");
            Switched halted;
            Switched resumed;
            try (JMXConnector connector = RemoteJmx.connect(child, port, agent)) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                assertEquals(false, jmx.getAttribute(agent, "Halted"));

                int requestsBefore = fake.requestCount();
                long haltBefore = nowMicros();
                jmx.invoke(agent, "halt", new Object[] {"operator X: runaway"}, new String[] {String.class.getName()});
                halted = new Switched(haltBefore, nowMicros(), requestsBefore);
                assertEquals(true, jmx.getAttribute(agent, "Halted"));
                assertEquals("jmx: operator X: runaway", jmx.getAttribute(agent, "HaltReason"));
                awaitEveryThread(child, "refusals after halt()", "refused", halted.after(), 3);

                int requestsAtResume = fake.requestCount();
                long resumeBefore = nowMicros();
                jmx.invoke(agent, "resume", new Object[0], new String[0]);
                resumed = new Switched(resumeBefore, nowMicros(), requestsAtResume);
                assertEquals(false, jmx.getAttribute(agent, "Halted"));
                assertEquals(null, jmx.getAttribute(agent, "HaltReason"));
                awaitEveryThread(child, "calls again after resume()", "ok", resumed.after(), 3);
            }
            Files.createFile(stop);
            ChildJvm.Result result = child.waitFor();

            assertHaltedBetween(result, halted, resumed, "jmx:halt", "jmx: operator X: runaway", "halt()");
            assertEquals(1, count(result.stderr(), "WARN HALTED by halt() on dev.llmbudget:type=Agent"), result.stderr());
            assertEquals(1, count(result.stderr(), "WARN RESUMED: resume() on dev.llmbudget:type=Agent"), result.stderr());
        }
    }

    /**
     * Every thread's calls that began after the switch was on and ended before it was lifted were refused with
     * the halt's rule and reason, its first such call included; none of them reached the fake, which received
     * nothing in that time but calls begun before the switch was on; every thread's first call begun after the
     * switch was lifted went through. Prints the delays, switch to each thread's first refusal.
     */
    private void assertHaltedBetween(ChildJvm.Result result, Switched halted, Switched resumed, String rule, String reason,
                                     String what) {
        List<Call> calls = calls(result);
        Map<String, List<Call>> byThread = calls.stream().collect(Collectors.groupingBy(Call::thread, TreeMap::new,
                Collectors.collectingAndThen(Collectors.toList(), list -> list.stream().sorted(Comparator.comparingInt(Call::seq)).toList())));
        assertEquals(THREADS, byThread.size(), result::toString);
        assertTrue(calls.stream().noneMatch(call -> call.outcome().equals("error")), result::toString);

        List<Long> delays = new ArrayList<>();
        StringBuilder perThread = new StringBuilder();
        for (Map.Entry<String, List<Call>> thread : byThread.entrySet()) {
            List<Call> whileOn = thread.getValue().stream()
                    .filter(call -> call.start() > halted.after() && call.end() < resumed.before()).toList();
            assertFalse(whileOn.isEmpty(), thread.getKey() + " made no call while halted");
            for (Call call : whileOn) {
                assertEquals("refused", call.outcome(), thread.getKey() + " call " + call.seq() + " began after the " + what
                        + " and was not refused:\n" + result);
                assertEquals("dev.llmbudget.AgentHaltedException", call.type(), call.toString());
                assertEquals(rule, call.rule(), call.toString());
                assertEquals(reason, call.reason(), call.toString());
            }
            Call firstAfter = thread.getValue().stream().filter(call -> call.start() > resumed.after()).findFirst().orElseThrow();
            assertEquals("ok", firstAfter.outcome(), thread.getKey() + "'s first call after the switch was lifted: " + firstAfter);
            // the thread's first refusal: its first call begun once the switch was on, or an earlier one that met it
            Call firstRefused = thread.getValue().stream()
                    .filter(call -> call.outcome().equals("refused") && call.end() > halted.before()).findFirst().orElseThrow();
            long delay = firstRefused.end() - halted.before();
            delays.add(delay);
            Call previous = thread.getValue().stream().filter(call -> call.seq() == firstRefused.seq() - 1).findFirst().orElseThrow();
            perThread.append(String.format(Locale.ROOT, "%n  %s: #%d %s (began %+.1f ms), #%d refused (began %+.1f ms, refused"
                            + " %+.1f ms, in %.2f ms)", thread.getKey(), previous.seq(), previous.outcome(),
                    (previous.start() - halted.before()) / 1000.0, firstRefused.seq(), (firstRefused.start() - halted.before()) / 1000.0,
                    delay / 1000.0, (firstRefused.end() - firstRefused.start()) / 1000.0));
        }

        Map<String, Call> byTag = calls.stream().collect(Collectors.toMap(Call::tag, call -> call));
        List<String> bodies = fake.requestBodies();
        Set<String> received = new HashSet<>();
        for (String body : bodies) {
            Matcher tag = TAG.matcher(body);
            assertTrue(tag.find(), body);
            received.add(tag.group(1) + "#" + tag.group(2));
        }
        for (Call call : calls) {
            if (call.outcome().equals("refused")) {
                assertFalse(received.contains(call.tag()), "the refused call " + call + " reached the provider");
            }
        }
        List<Call> receivedWhileOn = bodies.subList(halted.requestsBefore(), resumed.requestsBefore()).stream()
                .map(body -> {
                    Matcher tag = TAG.matcher(body);
                    assertTrue(tag.find());
                    return byTag.get(tag.group(1) + "#" + tag.group(2));
                }).toList();
        for (Call call : receivedWhileOn) {
            assertTrue(call.start() < halted.after(), "the provider received " + call + " which began after the " + what);
        }

        long refusedWhileOn = calls.stream().filter(call -> call.outcome().equals("refused")).count();
        List<Long> sorted = delays.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "kill switch (%s, %s): %d threads; %s (itself %.1f ms) -> each thread's first refusal:"
                        + " min %.1f ms, median %.1f ms, max %.1f ms; %d calls refused while halted; the provider received %d"
                        + " requests while halted, all begun before the %s returned. Per thread, times from the %s on:"
                        + " its last call before the first refusal, and that refusal%s%n", rule, what, THREADS, what,
                (halted.after() - halted.before()) / 1000.0, sorted.get(0) / 1000.0, sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0, refusedWhileOn, receivedWhileOn.size(), what, what, perThread);
    }

    private static List<Call> calls(ChildJvm.Result result) {
        List<Call> calls = new ArrayList<>();
        for (String line : result.calls()) {
            Matcher m = CALL.matcher(line);
            assertTrue(m.matches(), line);
            calls.add(new Call(m.group(1), m.group(2), Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)), m.group(6), m.group(7), m.group(8)));
        }
        return calls;
    }

    /** Waits until every thread has printed {@code count} calls of this outcome begun after {@code sinceMicros}. */
    private static void awaitEveryThread(ChildJvm.Running child, String what, String outcome, long sinceMicros, int count)
            throws Exception {
        child.await(what + " on all " + THREADS + " threads", 60, () -> {
            Map<String, Integer> perThread = new TreeMap<>();
            for (String line : child.stdout().lines().filter(l -> l.startsWith("CALL " + outcome + " ")).toList()) {
                String[] fields = line.split(" ", 7);
                if (Long.parseLong(fields[4]) > sinceMicros) {
                    perThread.merge(fields[2], 1, Integer::sum);
                }
            }
            return perThread.size() == THREADS && perThread.values().stream().allMatch(n -> n >= count);
        });
    }

    private static long count(String text, String fragment) {
        return text.lines().filter(line -> line.contains(fragment)).count();
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
