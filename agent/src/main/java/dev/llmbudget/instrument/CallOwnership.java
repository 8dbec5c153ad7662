package dev.llmbudget.instrument;

import dev.llmbudget.core.Permit;

/**
 * Which interception point owns the call in progress on this thread. A call seen by two layers
 * (LangChain4j over the JDK's HttpClient, an SDK over OkHttp, {@code send} over {@code sendAsync}) is
 * guarded once, by the outermost: it claims the thread, and inner layers that find it claimed pass
 * the call through, reporting each HTTP attempt they make to the owner. An asynchronous call carries
 * its owner to the thread that does the I/O ({@link #adopt}).
 */
public final class CallOwnership {
    private static final ThreadLocal<Owner> OWNER = new ThreadLocal<>();

    private CallOwnership() {
    }

    /** The layer guarding a call, and the permit its attempts are reported to. */
    public static final class Owner {
        private final Permit permit;

        private Owner(Permit permit) {
            this.permit = permit;
        }

        /** An inner layer made one HTTP attempt for the owned call. */
        public void attempt() {
            permit.recordAttempt();
        }
    }

    /** The owner of the call in progress on this thread, or null. */
    public static Owner current() {
        return OWNER.get();
    }

    public static boolean isClaimed() {
        return OWNER.get() != null;
    }

    /** The calling layer owns the call {@code permit} guards, until it {@link #release}s it. */
    public static Owner claim(Permit permit) {
        Owner owner = new Owner(permit);
        OWNER.set(owner);
        return owner;
    }

    public static void release(Owner owner) {
        if (owner != null && OWNER.get() == owner) {
            OWNER.remove();
        }
    }

    /**
     * On the thread doing an asynchronous call's I/O: makes {@code owner} the owner here too. Returns
     * the owner this replaced, for {@link #restore}.
     */
    public static Owner adopt(Owner owner) {
        Owner previous = OWNER.get();
        OWNER.set(owner);
        return previous;
    }

    public static void restore(Owner previous) {
        if (previous == null) {
            OWNER.remove();
        } else {
            OWNER.set(previous);
        }
    }

    /** An inner layer made one HTTP attempt: counted for the owner of this thread's call, if any. */
    public static void reportAttempt() {
        Owner owner = OWNER.get();
        if (owner != null) {
            owner.attempt();
        }
    }
}
