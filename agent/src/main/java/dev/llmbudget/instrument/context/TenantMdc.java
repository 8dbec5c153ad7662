package dev.llmbudget.instrument.context;

import dev.llmbudget.log.AgentLog;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The tenant of the calling thread: the value of {@code tenant.mdc-key} in the host's SLF4J {@code MDC},
 * else in its Log4j 2 {@code ThreadContext}. Both are reached by reflection (the agent depends on
 * neither) through the thread's context class loader, else the system class loader: the application's
 * logging library, wherever it was loaded. Absence of either library is remembered per loader, and
 * nothing is ever loaded or initialised unless the key is configured.
 */
public final class TenantMdc {
    /**
     * Assembled at run time on purpose: the shade plugin rewrites every {@code "org.slf4j..."} literal in
     * the agent to its relocated copy of slf4j (which Jedis uses), and the agent must read the host's MDC.
     */
    static final String SLF4J_MDC = String.join(".", "org", "slf4j", "MDC");
    static final String LOG4J_THREAD_CONTEXT = String.join(".", "org", "apache", "logging", "log4j", "ThreadContext");

    /**
     * The {@code get(String)} methods found in each class loader. Weak both ways: a key for the loader, a
     * weak reference for the method (which would otherwise hold its class, hence the loader), so a loader
     * that goes away (an undeployed web application) is not kept by the agent. A method collected before
     * its loader is simply looked up again.
     */
    private static final Map<ClassLoader, Readers> READERS = Collections.synchronizedMap(new WeakHashMap<>());

    private final String key;

    public TenantMdc(String key) {
        this.key = key;
    }

    /** The tenant of the calling thread, or null when neither MDC holds the key (or it is blank). */
    public String current() {
        try {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context == null) {
                // the system loader stands for none: never collected, so a cached entry cannot match by accident
                context = ClassLoader.getSystemClassLoader();
            }
            Resolved recent = last;
            Readers readers;
            if (recent != null && recent.context.get() == context) {
                readers = recent.readers;
            } else {
                readers = resolve(context);
                last = new Resolved(new WeakReference<>(context), readers);
            }
            return tenantOrNull(readers.read(key));
        } catch (RuntimeException | LinkageError error) {
            AgentLog.once("tenant-mdc", AgentLog.Level.WARN, "cannot read the tenant from the MDC (tenant.mdc-key=" + key
                    + "); calls are counted without a tenant", error);
            return null;
        }
    }

    /**
     * The readers a context class loader resolved to last. A JVM makes its calls from one or two context
     * loaders, so this spares every call on every thread the map's lock; the map is asked only when the
     * loader changes.
     */
    private static volatile Resolved last;

    private record Resolved(WeakReference<ClassLoader> context, Readers readers) {
    }

    /** The MDC readers of the context loader, else of the system loader when the context loader sees neither library. */
    private static Readers resolve(ClassLoader context) {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        Readers readers = readers(context);
        if (readers.none() && context != system) {
            readers = readers(system);
        }
        return readers;
    }

    /** What {@code loader}'s MDC holds for {@code key} (tests: a loader of one's own choosing). */
    static String read(ClassLoader loader, String key) {
        return tenantOrNull(readers(loader).read(key));
    }

    private static String tenantOrNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Readers readers(ClassLoader loader) {
        synchronized (READERS) {
            Readers readers = READERS.get(loader);
            if (readers == null) {
                readers = new Readers(loader);
                READERS.put(loader, readers);
            }
            return readers;
        }
    }

    /** The {@code MDC.get} and {@code ThreadContext.get} of one class loader, each absent or found. */
    private static final class Readers {
        private final WeakReference<ClassLoader> loader;
        private final Reader slf4j;
        private final Reader log4j;

        Readers(ClassLoader loader) {
            this.loader = new WeakReference<>(loader);
            this.slf4j = new Reader(SLF4J_MDC);
            this.log4j = new Reader(LOG4J_THREAD_CONTEXT);
        }

        boolean none() {
            ClassLoader current = loader.get();
            return current == null || (slf4j.method(current) == null && log4j.method(current) == null);
        }

        String read(String key) {
            ClassLoader current = loader.get();
            if (current == null) {
                return null;
            }
            String value = slf4j.read(current, key);
            return value != null ? value : log4j.read(current, key);
        }
    }

    /** A static {@code get(String)} of one class, looked up once (and again if collected), or known absent. */
    private static final class Reader {
        private final String className;
        private volatile WeakReference<Method> method;
        private volatile boolean absent;

        Reader(String className) {
            this.className = className;
        }

        String read(ClassLoader loader, String key) {
            Method get = method(loader);
            if (get == null) {
                return null;
            }
            try {
                Object value = get.invoke(null, key);
                return value == null ? null : value.toString();
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }

        Method method(ClassLoader loader) {
            if (absent) {
                return null;
            }
            WeakReference<Method> cached = method;
            Method found = cached == null ? null : cached.get();
            if (found != null) {
                return found;
            }
            try {
                found = Class.forName(className, false, loader).getMethod("get", String.class);
                method = new WeakReference<>(found);
                return found;
            } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
                absent = true;
                return null;
            }
        }
    }
}
