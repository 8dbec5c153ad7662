package dev.llmbudget.instrument;

/**
 * Which interception point owns the call in progress on this thread. A call seen by two layers (an
 * SDK and the HTTP client under it) is guarded once, by the outermost: it claims the thread, and
 * inner layers that find it claimed pass the call through.
 */
public final class CallOwnership {
    private static final ThreadLocal<Object> OWNER = new ThreadLocal<>();

    private CallOwnership() {
    }

    public static boolean isClaimed() {
        return OWNER.get() != null;
    }

    public static void claim(Object owner) {
        OWNER.set(owner);
    }

    public static void release(Object owner) {
        if (OWNER.get() == owner) {
            OWNER.remove();
        }
    }
}
