package dev.llmbudget.instrument.okhttp;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EnqueuedCallsTest {

    /** Equal to every other instance: only identity may tell calls apart. */
    private static final class SameForEquals {
        @Override
        public boolean equals(Object other) {
            return other instanceof SameForEquals;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void callsAreToldApartByIdentity() {
        Object enqueued = new SameForEquals();
        Object executed = new SameForEquals();

        EnqueuedCalls.add(enqueued, null);

        assertNotNull(EnqueuedCalls.of(enqueued));
        assertNull(EnqueuedCalls.of(enqueued).owner());
        assertNull(EnqueuedCalls.of(executed));
    }

    @Test
    void aCallOkHttpNoLongerHoldsIsForgotten() throws InterruptedException {
        int before = EnqueuedCalls.size();
        for (int i = 0; i < 1_000; i++) {
            EnqueuedCalls.add(new Object(), null);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (EnqueuedCalls.size() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(EnqueuedCalls.size() <= before, "entries of collected calls must be purged");
    }
}
