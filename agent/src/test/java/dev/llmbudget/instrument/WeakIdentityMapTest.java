package dev.llmbudget.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

    /** Tasks an application hands to a pool may be records, equal to one another. */
    record Task(String name) {
    }

    @Test
    void keysAreToldApartByIdentityNotByEquals() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        Task first = new Task("same");
        Task second = new Task("same");

        map.put(first, "run-1");

        assertEquals("run-1", map.get(first));
        assertNull(map.get(second));
    }

    @Test
    void anEntryCanBeReplacedAndRemoved() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        Task task = new Task("t");
        assertTrue(map.isEmpty());

        map.put(task, "run-1");
        map.put(task, "run-2");
        assertEquals("run-2", map.get(task));
        assertEquals(1, map.size());
        assertFalse(map.isEmpty());

        map.remove(task);
        assertNull(map.get(task));
        assertTrue(map.isEmpty());
    }

    @Test
    void nullIsNeverFound() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        map.put(new Task("t"), "run-1");

        assertNull(map.get(null));
        map.remove(null);
        assertEquals(1, map.size());
    }
}
