package dev.llmbudget.instrument.okhttp;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map from objects of OkHttp's (calls, clients) to what the agent remembers of them,
 * by identity and weakly: an entry lives as long as OkHttp keeps its key, and OkHttp's own
 * {@code equals} plays no part.
 */
final class WeakIdentityMap<V> {
    private final Map<Key, V> entries = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    void put(Object key, V value) {
        purge();
        entries.put(new Key(key, collected), value);
    }

    V get(Object key) {
        return entries.get(new Key(key, null));
    }

    int size() {
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
}
