package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.it.apps.SpendHost;
import dev.llmbudget.it.fake.FakeOpenAi;
import dev.llmbudget.it.support.AgentConfigFile;
import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.it.support.Ledger;
import dev.llmbudget.it.support.RedisKeys;
import dev.llmbudget.it.support.SpendCommand;
import dev.llmbudget.store.redis.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs drawing on one budget through Redis ({@code store=redis}): reserve and settle are
 * atomic scripts in Redis, so four JVMs of sixteen threads each never settle more than the limit
 * between them, and leaked holds never leave part of it unused. One Redis key halts every JVM.
 */
class RedisSharedBudgetIT {
    private static final int JVMS = 4;
    private static final int THREADS = 16;
    private static final long LIMIT_MICROS = 200_000; // $0.20

    private final String prefix = RedisKeys.uniquePrefix("shared");

    @TempDir
    Path dir;

    @AfterEach
    void deleteKeys() {
        TestRedis.deleteAll(prefix);
    }

    @Test
    void fourJvmsOfSixteenThreadsSettleWithinTheLimitAndUseItUpToOneCall() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            fake.reportUsage(new FakeOpenAi.ReportedUsage(20, 0, 100, 0));
            List<Path> configs = new ArrayList<>();
            List<ChildJvm.Running> children = new ArrayList<>();
            try {
                for (int j = 0; j < JVMS; j++) {
                    Path jvmDir = Files.createDirectories(dir.resolve("jvm-" + j));
                    Path config = AgentConfigFile.write(jvmDir, "store=redis", RedisKeys.urlSetting(), "store.redis.key-prefix=" + prefix,
                            "budget.shared.limit-usd=0.20", "budget.shared.window=day");
                    configs.add(config);
                    children.add(ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                            .start(SpendHost.class, "until-refused", String.valueOf(THREADS)));
                }
                int admitted = 0;
                int refused = 0;
                long settled = 0;
                long oneReservation = 0;
                for (int j = 0; j < JVMS; j++) {
                    ChildJvm.Result result = children.get(j).waitFor();
                    Matcher done = Pattern.compile("DONE ok=(\\d+) refused=(\\d+) errors=0").matcher(result.line("DONE"));
                    assertTrue(done.matches(), result::toString);
                    admitted += Integer.parseInt(done.group(1));
                    refused += Integer.parseInt(done.group(2));
                    List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(configs.get(j).getParent()));
                    settled += Ledger.sum(ledger, "settledMicroUsd");
                    oneReservation = Math.max(oneReservation,
                            Ledger.withOutcome(ledger, "settled").get(0).path("reservedMicroUsd").asLong());
                }
                long inRedis = SpendCommand.totalSpent(SpendCommand.accounts(configs.get(0)));
                System.out.printf("4 JVMs x 16 threads on Redis: limit %d µUSD, settled %d µUSD (Redis says %d), admitted %d,"
                                + " refused %d, provider received %d, one reservation %d µUSD%n",
                        LIMIT_MICROS, settled, inRedis, admitted, refused, fake.requestCount(), oneReservation);

                assertEquals(settled, inRedis, "Redis holds exactly what the four ledgers settled");
                assertTrue(settled <= LIMIT_MICROS, "settled " + settled + " > limit " + LIMIT_MICROS);
                assertTrue(LIMIT_MICROS - settled < oneReservation,
                        "only " + settled + " of " + LIMIT_MICROS + " µUSD used; one reservation is " + oneReservation);
                assertEquals(admitted, fake.requestCount(), "every admitted call reached the provider, no refused one did");
                assertEquals(0, SpendCommand.totalHeld(SpendCommand.accounts(configs.get(0))), "no hold left behind");
            } finally {
                for (ChildJvm.Running child : children) {
                    child.close();
                }
            }
        }
    }

    @Test
    void oneRedisKeyHaltsEveryJvmAtItsNextCallAndDeletingItResumesThem() throws Exception {
        String haltKey = prefix + "halt";
        try (FakeOpenAi fake = FakeOpenAi.start()) {
            List<ChildJvm.Running> children = new ArrayList<>();
            try {
                for (int j = 0; j < 2; j++) {
                    Path jvmDir = Files.createDirectories(dir.resolve("halt-" + j));
                    Path config = AgentConfigFile.write(jvmDir, "store=redis", RedisKeys.urlSetting(), "store.redis.key-prefix=" + prefix,
                            "killswitch.redis-key=" + haltKey, "budget.shared.limit-usd=100");
                    children.add(ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                            .start(SpendHost.class, "paced", "100000", "20"));
                }
                for (ChildJvm.Running child : children) {
                    child.await("calls going through", 60, () -> child.countLines("CALL ok") >= 3);
                }
                long haltedAt;
                try (var redis = RedisKeys.connect()) {
                    redis.set(haltKey, "incident 42 (alice)");
                    haltedAt = System.currentTimeMillis();
                }
                for (ChildJvm.Running child : children) {
                    child.await("the halt seen", 30, () -> child.countLines("CALL refused") >= 3);
                }
                long resumedAt;
                try (var redis = RedisKeys.connect()) {
                    redis.del(haltKey);
                    resumedAt = System.currentTimeMillis();
                }
                for (ChildJvm.Running child : children) {
                    child.await("calls again after the key is deleted", 30,
                            () -> okAfter(child.stdout(), resumedAt) >= 2);
                    String out = child.stdout();
                    List<String> refusals = out.lines().filter(line -> line.startsWith("CALL refused")).toList();
                    assertTrue(refusals.stream().allMatch(line -> line.contains("dev.llmbudget.AgentHaltedException")
                            && line.contains("incident 42 (alice)") && line.contains("killswitch.redis-key")), out);
                    long firstRefusal = refusals.stream().mapToLong(RedisSharedBudgetIT::timeOf).min().orElseThrow();
                    long okWhileHalted = out.lines().filter(line -> line.startsWith("CALL ok"))
                            .mapToLong(RedisSharedBudgetIT::timeOf).filter(t -> t > firstRefusal && t < resumedAt).count();
                    assertEquals(0, okWhileHalted, "no call got through between the first halted call and the key's removal");
                    System.out.printf("kill switch: halted %d ms after SET, %d calls refused while halted%n",
                            firstRefusal - haltedAt, refusals.size());
                }
            } finally {
                for (ChildJvm.Running child : children) {
                    child.close();
                }
            }
        }
    }

    /** The time a SpendHost CALL line carries (its third field). */
    private static long timeOf(String callLine) {
        return Long.parseLong(callLine.split(" ")[2]);
    }

    private static long okAfter(String stdout, long millis) {
        return stdout.lines().filter(line -> line.startsWith("CALL ok")).filter(line -> timeOf(line) > millis).count();
    }
}
