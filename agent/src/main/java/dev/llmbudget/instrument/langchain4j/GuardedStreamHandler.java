package dev.llmbudget.instrument.langchain4j;

import dev.llmbudget.core.Permit;
import dev.llmbudget.core.Usage;
import dev.llmbudget.instrument.CallOwnership;
import dev.llmbudget.log.AgentLog;
import java.lang.ref.Cleaner;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The application's {@code StreamingChatResponseHandler}, as the provider module receives it: a JDK
 * proxy of LangChain4j's own interface, created in LangChain4j's class loader, that forwards every
 * callback unchanged and settles the call's permit on the way. {@code onCompleteResponse} settles the
 * final usage; {@code onError} after some output settles that output (input as estimated), before any
 * output it is a failed call. The permit is settled before the application's callback runs, so a
 * follow-up call made from it sees the budget already freed.
 *
 * <p>A stream the provider module drops without either callback is charged its reservation when the
 * proxy is garbage-collected: a permit never holds budget forever.
 */
final class GuardedStreamHandler implements InvocationHandler {
    private final Object delegate;
    private final Permit permit;
    private final StringBuilder output = new StringBuilder();

    private GuardedStreamHandler(Object delegate, Permit permit) {
        this.delegate = delegate;
        this.permit = permit;
    }

    /** The handler to give LangChain4j in place of {@code handler}, which implements {@code handlerType}. */
    static Object wrap(Class<?> handlerType, Object handler, Permit permit) {
        Object proxy = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                new GuardedStreamHandler(handler, permit));
        Abandoned.CLEANER.register(proxy, new Abandoned(permit));
        return proxy;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        int arity = args == null ? 0 : args.length;
        if (name.equals("equals") && arity == 1) {
            return proxy == args[0];
        }
        if (name.equals("hashCode") && arity == 0) {
            return System.identityHashCode(proxy);
        }
        if (arity > 0 && method.getDeclaringClass() != Object.class) {
            observe(name, args[0]);
        }
        // the application's callback may start its next call from here, on a thread an HTTP layer may have lent
        // this call's ownership to: that next call is a call of its own and must be guarded as one
        CallOwnership.Owner lent = CallOwnership.adopt(null);
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            CallOwnership.restore(lent);
        }
    }

    /** Never throws: the provider module's stream must not fail because of the agent. */
    private void observe(String callback, Object argument) {
        try {
            switch (callback) {
                case "onPartialResponse", "onPartialThinking" -> append(argument instanceof String text ? text
                        : Reflect.callIfPresent(argument, "text"));
                case "onPartialToolCall" -> {
                    append(Reflect.callIfPresent(argument, "name"));
                    append(Reflect.callIfPresent(argument, "partialArguments"));
                }
                case "onCompleteResponse" -> complete(argument);
                case "onError" -> failed((Throwable) argument);
                default -> {
                    // tool calls completed, raw events: their output was counted from the partial callbacks
                }
            }
        } catch (Throwable error) {
            AgentLog.once("langchain4j:stream", AgentLog.Level.ERROR, "cannot read a LangChain4j stream callback ("
                    + callback + "); such streams are charged their reservation", error);
            permit.chargeReservation("stream callback unreadable: " + error);
        }
    }

    private void complete(Object chatResponse) {
        Usage usage = TokenUsages.of(chatResponse);
        if (usage != null) {
            permit.settle(usage);
        } else {
            permit.chargeReservation("no token usage in the completed stream");
        }
    }

    private void failed(Throwable error) {
        String soFar;
        synchronized (output) {
            soFar = output.toString();
        }
        if (!soFar.isEmpty()) {
            permit.settleFromOutputSoFar(soFar, "stream failed: " + error);
        } else {
            ChatFailures.finish(permit, error);
        }
    }

    private void append(Object text) {
        if (text instanceof String string && !string.isEmpty()) {
            synchronized (output) {
                output.append(string);
            }
        }
    }

    /** Runs when the proxy was dropped; holds no reference to it. A settled permit ignores it. */
    private record Abandoned(Permit permit) implements Runnable {
        /** Created on the first stream, not at the agent's start. */
        static final Cleaner CLEANER = Cleaner.create(runnable -> {
            Thread thread = new Thread(runnable, "llm-budget-agent-langchain4j-stream-cleaner");
            thread.setDaemon(true);
            return thread;
        });

        @Override
        public void run() {
            permit.chargeReservation("stream dropped before it completed or failed");
        }
    }
}
