package dev.llmbudget.instrument.okhttp;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.instrument.Enforcement;
import dev.llmbudget.instrument.http.HttpCall;
import dev.llmbudget.instrument.http.HttpCallGuard;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The agent's {@code okhttp3.Interceptor}: a JDK proxy of OkHttp's interface, defined in OkHttp's
 * class loader, so the agent needs no compile-time view of OkHttp. First among the application
 * interceptors, it sees each call once, whatever an application interceptor after it retries.
 *
 * <p>A request to a known LLM host on a metered endpoint is decided by {@link HttpCallGuard} before
 * it goes down the chain: refused, or sent (rewritten to the output ceiling if need be) with its
 * response body tapped for the usage it reports. A call an SDK above already guards is passed
 * through and counted as one of that call's HTTP attempts.
 */
final class GuardInterceptor implements InvocationHandler {
    static final String WHERE = "okhttp";

    private final OkHttpApi api;

    private GuardInterceptor(OkHttpApi api) {
        this.api = api;
    }

    /** A new interceptor, an instance of the {@code okhttp3.Interceptor} of {@code api}'s class loader. */
    static Object create(OkHttpApi api) {
        return Proxy.newProxyInstance(api.interceptorType.getClassLoader(), new Class<?>[] {api.interceptorType},
                new GuardInterceptor(api));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        int arity = args == null ? 0 : args.length;
        switch (method.getName()) {
            case "intercept" -> {
                if (arity == 1) {
                    return intercept(args[0]);
                }
            }
            case "equals" -> {
                if (arity == 1) {
                    return proxy == args[0];
                }
            }
            case "hashCode" -> {
                if (arity == 0) {
                    return System.identityHashCode(proxy);
                }
            }
            case "toString" -> {
                if (arity == 0) {
                    return "llm-budget-agent OkHttp guard";
                }
            }
            default -> {
                // falls through to the default-method check below
            }
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        throw new UnsupportedOperationException(method.toString());
    }

    private Object intercept(Object chain) throws Throwable {
        Object request;
        Object call;
        try {
            request = api.request(chain);
            call = api.owningCall(chain);
        } catch (ReflectiveOperationException e) {
            // only an IOException passes the proxy unwrapped, and without the request the call cannot go on
            throw new IOException("llm-budget-agent cannot read OkHttp's interceptor chain: " + e, e);
        }
        EnqueuedCalls.Enqueued enqueued = EnqueuedCalls.of(call);
        if (enqueued != null && enqueued.owner() != null) {
            // an SDK's asynchronous request, enqueued on the thread the SDK's layer claimed: that layer
            // guards it, and this is one of its attempts. (The SDK's retries come from its timer thread,
            // unowned: HttpCallGuard knows them by the SDK's own headers and lets them pass.)
            enqueued.owner().attempt();
            return api.proceed(chain, request);
        }
        Object begun = begin(request);
        if (begun == null) {
            return api.proceed(chain, request);
        }
        if (begun instanceof BudgetExceededException refusal) {
            // on a dispatcher thread OkHttp hands an IOException to Callback.onFailure, but rethrows
            // anything else as uncaught after failing the call with a bare "canceled"
            throw enqueued == null ? refusal : new IOException(refusal.getMessage(), refusal);
        }
        return new GuardedExchange(api, (HttpCall) begun, enqueued != null).send(chain, request);
    }

    /** {@link HttpCallGuard#begin}'s decision; the agent's own failures are decided by {@code on-internal-error}. */
    private Object begin(Object request) {
        if (Enforcement.gate() == null) {
            return null;
        }
        try {
            String method = api.method(request);
            Object url = api.url(request);
            return HttpCallGuard.begin(WHERE, method, String.valueOf(url), api.host(url), api.port(url),
                    name -> header(request, name), () -> body(request));
        } catch (Throwable error) {
            return Enforcement.internalError(WHERE, null, error);
        }
    }

    private String header(Object request, String name) {
        try {
            return api.header(request, name);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a request header: " + e, e);
        }
    }

    private byte[] body(Object request) throws IOException {
        try {
            return api.bodyBytes(request);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot read the request body: " + e, e);
        }
    }
}
