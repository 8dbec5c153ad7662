package dev.llmbudget.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs one worker body on many threads released at once, for the stores' concurrency tests. */
public final class ConcurrentWorkers {
    private ConcurrentWorkers() {
    }

    public interface Worker {
        void run(int thread) throws Exception;
    }

    /** Starts every worker at once behind a latch, waits up to {@code seconds} for all and rethrows the first failure. */
    public static void runTogether(int threads, long seconds, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Void> task = () -> {
                    ready.countDown();
                    start.await();
                    worker.run(thread);
                    return null;
                };
                futures.add(pool.submit(task));
            }
            assertTrue(ready.await(10, TimeUnit.SECONDS), "workers did not start");
            start.countDown();
            for (Future<Void> future : futures) {
                future.get(seconds, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
