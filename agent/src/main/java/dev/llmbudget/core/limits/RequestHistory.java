package dev.llmbudget.core.limits;

/**
 * The last {@value #SIZE} requests of one run (or, outside runs, of one tenant), as fingerprints with
 * the time they were sent. Guarded by its own monitor.
 */
final class RequestHistory {
    static final int SIZE = 256;

    private final long[] fingerprints = new long[SIZE];
    private final long[] times = new long[SIZE];
    private final boolean[] void_ = new boolean[SIZE];
    private long written;

    /** How many of the remembered requests since {@code sinceNanos} have this fingerprint. */
    synchronized int countSince(long fingerprint, long sinceNanos) {
        int count = 0;
        for (long i = written - 1; i >= 0 && i >= written - SIZE; i--) {
            int slot = (int) (i % SIZE);
            if (times[slot] - sinceNanos < 0) {
                break;
            }
            if (!void_[slot] && fingerprints[slot] == fingerprint) {
                count++;
            }
        }
        return count;
    }

    /**
     * How many times the pair (A, B) repeats at the end of the history followed by {@code next}: with
     * {@code next} = B, the history ending A, B, A, B, A gives 3. Zero when the end is not such a pair.
     */
    synchronized int alternationsEndingWith(long next, long sinceNanos) {
        long b = next;
        long a = 0;
        int length = 1; // next itself
        for (long i = written - 1; i >= 0 && i >= written - SIZE; i--) {
            int slot = (int) (i % SIZE);
            if (void_[slot]) {
                continue;
            }
            if (times[slot] - sinceNanos < 0) {
                break;
            }
            long expected = length % 2 == 1 ? a : b;
            if (length == 1) {
                if (fingerprints[slot] == b) {
                    break;
                }
                a = fingerprints[slot];
            } else if (fingerprints[slot] != expected) {
                break;
            }
            length++;
        }
        return length / 2;
    }

    /** Remembers a request sent now; returns its position, to {@link #forget} it if it is not sent after all. */
    synchronized long add(long fingerprint, long nowNanos) {
        int slot = (int) (written % SIZE);
        fingerprints[slot] = fingerprint;
        times[slot] = nowNanos;
        void_[slot] = false;
        return written++;
    }

    synchronized void forget(long position) {
        if (position >= written - SIZE) {
            void_[(int) (position % SIZE)] = true;
        }
    }
}
