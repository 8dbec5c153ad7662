package dev.llmbudget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CallIdsTest {

    @Test
    void idsAreUniqueAcrossThreadsAndAcrossBlocks() throws InterruptedException {
        CallIds ids = new CallIds();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 5_000; i++) { // several blocks per thread
                    seen.add(ids.next());
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(8 * 5_000, seen.size());
    }

    @Test
    void twoGeneratorsUseDifferentPrefixes() {
        String first = new CallIds().next();
        String second = new CallIds().next();
        assertTrue(first.endsWith("-1") && second.endsWith("-1"), first + " " + second);
        assertTrue(!first.equals(second), "prefixes are random per generator (per JVM in the agent)");
    }
}
