package dev.llmbudget.instrument;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map from an instrumented library's objects (OkHttp calls, tasks handed to an executor)
 * to what the agent remembers of them, by identity and weakly: an entry lives as long as the library
 * keeps its key, and the key's own {@code equals} plays no part.
 */
public final class WeakIdentityMap<V> {
    private final Map<Object, V> entries = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    public void put(Object key, V value) {
        purge();
        entries.put(new Key(key, collected), value);
    }

    public V get(Object key) {
        return entries.get(new Probe(key));
    }

    public void remove(Object key) {
        entries.remove(new Probe(key));
    }

    /** Cheap enough to ask on a hot path before {@link #get}: no allocation, no lock. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        purge();
        return entries.size();
    }

    private void purge() {
        for (Object key = collected.poll(); key != null; key = collected.poll()) {
            entries.remove(key);
        }
    }

    /** A weak reference compared by the identity of its referent (a collected one equals only itself). */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof Key key)) {
                return false;
            }
            Object referent = get();
            return referent != null && referent == key.get();
        }
    }

    /**
     * What a lookup passes to the map: a plain strong reference, lighter than a {@link Key} (no
     * {@link java.lang.ref.Reference} to create on a hot path). The map compares it to its keys with
     * the probe's {@code equals}, so it only ever has to match a {@link Key}.
     */
    private static final class Probe {
        private final Object referent;

        Probe(Object referent) {
            this.referent = referent;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(referent);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && referent != null && key.get() == referent;
        }
    }
}
