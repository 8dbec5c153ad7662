package dev.llmbudget.instrument.okhttp;

import dev.llmbudget.instrument.CallOwnership;
import dev.llmbudget.log.AgentLog;
import java.util.List;
import java.util.Optional;

/**
 * What the advice inlined into OkHttp calls. Public and static, taking {@code Object}, because the
 * advice links from OkHttp's classes; never throws.
 */
public final class OkHttpBridge {
    /** The agent's interceptor for each copy of OkHttp (one per class loader), keyed by its builder class. */
    private static final ClassValue<Optional<Installed>> INSTALLED = new ClassValue<>() {
        @Override
        protected Optional<Installed> computeValue(Class<?> builderType) {
            try {
                OkHttpApi api = new OkHttpApi(builderType.getClassLoader());
                return Optional.of(new Installed(api, GuardInterceptor.create(api)));
            } catch (Throwable error) {
                AgentLog.once("okhttp:api", AgentLog.Level.ERROR, "OkHttp's API is not as expected in "
                        + builderType.getClassLoader() + ": calls through OkHttp are NOT guarded", error);
                return Optional.empty();
            }
        }
    };

    private record Installed(OkHttpApi api, Object interceptor) {
    }

    private OkHttpBridge() {
    }

    /**
     * A builder was constructed: it gets the agent's interceptor, once, first. Idempotent: the copying
     * constructor {@code Builder(OkHttpClient)} runs {@code Builder()} (which adds it) and then appends
     * the client's interceptors, which hold it already.
     */
    public static void builderCreated(Object builder) {
        try {
            Installed installed = INSTALLED.get(builder.getClass()).orElse(null);
            if (installed == null) {
                return;
            }
            List<Object> interceptors = installed.api().interceptors(builder);
            Object ours = installed.interceptor();
            int first = indexOf(interceptors, ours);
            if (first < 0) {
                interceptors.add(0, ours);
                return;
            }
            for (int i = interceptors.size() - 1; i > first; i--) {
                if (interceptors.get(i) == ours) {
                    interceptors.remove(i);
                }
            }
        } catch (Throwable error) {
            AgentLog.once("okhttp:builder", AgentLog.Level.ERROR,
                    "cannot add the agent's interceptor to an OkHttp client: its calls are NOT guarded", error);
        }
    }

    /** By identity: the application's interceptors' {@code equals} is none of the agent's business. */
    private static int indexOf(List<Object> interceptors, Object ours) {
        for (int i = 0; i < interceptors.size(); i++) {
            if (interceptors.get(i) == ours) {
                return i;
            }
        }
        return -1;
    }

    /** A call is being enqueued on this thread: remembered as asynchronous, with the owner of this thread's call. */
    public static void enqueued(Object call) {
        try {
            EnqueuedCalls.add(call, CallOwnership.current());
        } catch (Throwable error) {
            AgentLog.once("okhttp:enqueue", AgentLog.Level.ERROR,
                    "cannot follow an OkHttp call to its dispatcher thread", error);
        }
    }
}
