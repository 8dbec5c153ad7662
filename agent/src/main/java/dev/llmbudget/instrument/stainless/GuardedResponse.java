package dev.llmbudget.instrument.stainless;

import dev.llmbudget.core.Permit;
import dev.llmbudget.instrument.UsageSettlement;
import dev.llmbudget.wire.UsageReader;
import dev.llmbudget.wire.UsageTap;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The SDK's {@code HttpResponse} as the application receives it: the same in every respect, except
 * that its body passes a {@link UsageTap}, which settles the call's permit with the reported usage
 * when the body ends or the response is closed. A JDK proxy of the SDK's own interface, created in
 * the SDK's class loader, so the agent needs no compile-time view of the SDK.
 *
 * <p>A response the application drops without closing is settled when it is garbage-collected,
 * charged its reservation: a permit is never left holding budget forever.
 */
final class GuardedResponse implements InvocationHandler {
    private static final Cleaner CLEANER = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "llm-budget-agent-response-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    private final Object delegate;
    private final SdkHttpAccess access;
    private final Permit permit;
    private final UsageReader reader;
    private final boolean rewritten;
    private UsageTap tap;
    private InputStream body;

    private GuardedResponse(Object delegate, SdkHttpAccess access, Permit permit, UsageReader reader, boolean rewritten) {
        this.delegate = delegate;
        this.access = access;
        this.permit = permit;
        this.reader = reader;
        this.rewritten = rewritten;
    }

    /** @param rewritten whether the request was rewritten: the application then reads the body without what that added */
    static Object wrap(Object response, SdkHttpAccess access, Permit permit, UsageReader reader, boolean rewritten) {
        GuardedResponse handler = new GuardedResponse(response, access, permit, reader, rewritten);
        Object proxy = Proxy.newProxyInstance(access.responseType.getClassLoader(), new Class<?>[] {access.responseType},
                handler);
        CLEANER.register(proxy, new Abandoned(permit));
        return proxy;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        int arity = args == null ? 0 : args.length;
        if (name.equals("body") && arity == 0) {
            return tappedBody();
        }
        if (name.equals("close") && arity == 0) {
            try {
                return forward(method, args);
            } finally {
                bodyEnded();
            }
        }
        if (name.equals("equals") && arity == 1) {
            return proxy == args[0];
        }
        if (name.equals("hashCode") && arity == 0) {
            return System.identityHashCode(proxy);
        }
        return forward(method, args);
    }

    private synchronized InputStream tappedBody() throws ReflectiveOperationException {
        if (tap == null) {
            tap = new UsageTap(access.responseBody(delegate), reader, UsageSettlement.of(permit, reader));
            body = rewritten ? access.protocol().withoutAddedEvents(tap) : tap;
        }
        return body;
    }

    private synchronized void bodyEnded() {
        if (tap != null) {
            tap.abandon();
        } else {
            permit.chargeReservation("response closed without its body being read");
        }
    }

    private Object forward(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Runs when the application dropped the response without closing it. Holds no reference to the proxy. */
    private record Abandoned(Permit permit) implements Runnable {
        @Override
        public void run() {
            permit.chargeReservation("response dropped without being closed");
        }
    }
}
