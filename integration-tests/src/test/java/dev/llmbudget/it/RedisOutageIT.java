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
import dev.llmbudget.store.redis.TcpProxy;
import dev.llmbudget.store.redis.TestRedis;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis goes away in the middle of a run and comes back (a proxy in front of the real server is cut
 * and restored). With {@code store.redis.on-unavailable=refuse} no call is admitted that Redis did not
 * check; with {@code local} calls are granted from the local slice, and that spend reaches Redis,
 * exactly once, when it is back.
 */
class RedisOutageIT {
    private static final String LOCAL_NOTE = "local slice";

    private final String prefix = RedisKeys.uniquePrefix("outage");

    @TempDir
    Path dir;

    @AfterEach
    void deleteKeys() {
        TestRedis.deleteAll(prefix);
    }

    private Path config(TcpProxy proxy, String... more) throws Exception {
        List<String> lines = new java.util.ArrayList<>(List.of("store=redis", "store.redis.url=redis://127.0.0.1:" + proxy.port(),
                "store.redis.key-prefix=" + prefix, "store.redis.timeout=200ms", "budget.daily.limit-usd=5", "budget.daily.window=day"));
        lines.addAll(List.of(more));
        return AgentConfigFile.write(dir, lines.toArray(new String[0]));
    }

    @Test
    void withRefuseNoCallIsAdmittedWhileRedisIsAwayAndCallsResumeWhenItIsBack() throws Exception {
        try (FakeOpenAi fake = FakeOpenAi.start(); TcpProxy proxy = new TcpProxy(RedisKeys.HOST, RedisKeys.port())) {
            Path config = config(proxy, "store.redis.on-unavailable=refuse");
            try (ChildJvm.Running child = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .start(SpendHost.class, "paced", "400", "10")) {
                child.await("calls through Redis", 60, () -> child.countLines("CALL ok") >= 20);
                proxy.cut();
                long okAtCut = child.countLines("CALL ok");
                child.await("refusals while Redis is away", 30, () -> child.countLines("CALL refused") >= 20);
                long okDuringOutage = child.countLines("CALL ok") - okAtCut;
                proxy.restore();
                child.await("calls again once Redis is back", 60,
                        () -> child.stdout().lines().dropWhile(l -> !l.startsWith("CALL refused")).anyMatch(l -> l.startsWith("CALL ok")));
                ChildJvm.Result result = child.waitFor();

                List<String> refusals = result.callsWith("refused");
                assertTrue(refusals.stream().allMatch(line -> line.contains("dev.llmbudget.StoreUnavailableException")
                        && line.contains("store.redis.on-unavailable")), result::toString);
                assertTrue(okDuringOutage <= 1, "at most the call already past Redis when it was cut: " + okDuringOutage);

                List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
                long settled = Ledger.sum(ledger, "settledMicroUsd");
                long inRedis = SpendCommand.totalSpent(SpendCommand.accounts(config));
                System.out.printf("outage, refuse: admitted %d, refused %d, settled %d µUSD, Redis %d µUSD%n",
                        result.callsWith("ok").size(), refusals.size(), settled, inRedis);
                assertEquals(settled, inRedis, "every admitted call was checked and settled in Redis");
                assertEquals(result.callsWith("ok").size(), fake.requestCount());
            }
        }
    }

    @Test
    void withLocalCallsAreGrantedFromTheSliceAndReconciledExactlyWhenRedisIsBack() throws Exception {
        long sliceMicros = 2_000; // $0.002: about 15 of these calls, one at a time
        try (FakeOpenAi fake = FakeOpenAi.start(); TcpProxy proxy = new TcpProxy(RedisKeys.HOST, RedisKeys.port())) {
            fake.reportUsage(new FakeOpenAi.ReportedUsage(20, 0, 100, 0));
            Path config = config(proxy, "store.redis.on-unavailable=local", "store.redis.local-slice-usd=0.002");
            try (ChildJvm.Running child = ChildJvm.onCurrentJdk().withAgent(config).systemProperty("it.baseUrl", fake.baseUrl())
                    .start(SpendHost.class, "paced", "300", "10")) {
                child.await("calls through Redis", 60, () -> child.countLines("CALL ok") >= 20);
                proxy.cut();
                // the slice runs out: refusals by the budget's (local) limit
                child.await("the local slice used up", 60, () -> child.countLines("CALL refused") >= 5);
                proxy.restore();
                ChildJvm.Result result = child.waitFor();

                List<JsonNode> ledger = Ledger.read(AgentConfigFile.ledger(dir));
                long settled = Ledger.sum(ledger, "settledMicroUsd");
                long local = ledger.stream().filter(line -> line.path("detail").asText("").contains(LOCAL_NOTE))
                        .mapToLong(line -> line.path("settledMicroUsd").asLong()).sum();
                long localCalls = ledger.stream().filter(line -> line.path("detail").asText("").contains(LOCAL_NOTE)).count();
                assertTrue(localCalls > 0, "calls were granted from the local slice:\n" + result);
                assertTrue(local <= sliceMicros, "local spend " + local + " > slice " + sliceMicros);

                long inRedis = awaitRedisSpent(config, settled);
                System.out.printf("outage, local: admitted %d (%d from the local slice, %d µUSD of %d), refused %d,"
                                + " settled %d µUSD, Redis after reconciling %d µUSD%n",
                        result.callsWith("ok").size(), localCalls, local, sliceMicros, result.callsWith("refused").size(),
                        settled, inRedis);
                assertEquals(settled, inRedis, "Redis holds exactly the spend settled, local slice included, once");
            }
        }
    }

    /** Polls the spend in Redis until it reaches {@code expected} (reconciliation runs in the background) or 20 s pass. */
    private static long awaitRedisSpent(Path config, long expected) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        long seen;
        do {
            seen = SpendCommand.totalSpent(SpendCommand.accounts(config));
            if (seen == expected) {
                return seen;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return seen;
    }
}
