package dev.llmbudget.instrument.okhttp;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.instrument.Enforcement;
import dev.llmbudget.instrument.http.HttpCall;
import dev.llmbudget.log.AgentLog;
import java.io.IOException;
import java.io.InputStream;

/** One guarded request sent down OkHttp's chain, and its response handed back with its body tapped. */
final class GuardedExchange {
    private final OkHttpApi api;
    private final HttpCall call;
    private final boolean enqueued;

    GuardedExchange(OkHttpApi api, HttpCall call, boolean enqueued) {
        this.api = api;
        this.call = call;
        this.enqueued = enqueued;
    }

    Object send(Object chain, Object request) throws Throwable {
        Object toSend = request;
        byte[] body = call.bodyToSend();
        if (body != null) {
            try {
                toSend = api.withBody(request, api.method(request), body);
            } catch (Throwable error) {
                return sendUnguarded(chain, request, error);
            }
        }
        Object response;
        // an application interceptor after this one that makes further calls on this thread must not guard them again
        call.claimThread();
        try {
            response = api.proceed(chain, toSend);
        } catch (Throwable error) {
            quietly(() -> call.failed(error));
            throw error;
        } finally {
            call.releaseThread();
        }
        return answered(response);
    }

    /**
     * The request could not be rewritten to the output ceiling, so it must not go out under this
     * permit, which assumes the ceiling: the permit is released as never sent, and the call goes
     * as {@code on-internal-error} says (refused, or sent unguarded and recorded so).
     */
    private Object sendUnguarded(Object chain, Object request, Throwable error) throws Throwable {
        quietly(() -> call.notSent("the request body could not be rewritten to the output ceiling: " + error));
        BudgetExceededException refusal = Enforcement.internalError(GuardInterceptor.WHERE, null, error);
        if (refusal != null) {
            throw enqueued ? new IOException(refusal.getMessage(), refusal) : refusal;
        }
        return api.proceed(chain, request);
    }

    /** Settles an error status at once; a success is settled when the application is done with the body. */
    private Object answered(Object response) {
        try {
            if (!call.answered(api.code(response))) {
                return response;
            }
            Object body = api.body(response);
            if (body == null) {
                call.abandoned("no response body");
                return response;
            }
            InputStream tap = call.tap(api.byteStream(body));
            Object tapped = api.withBody(response, body, tap);
            DroppedResponses.watch(tap, call);
            return tapped;
        } catch (Throwable error) {
            AgentLog.once("okhttp:response", AgentLog.Level.ERROR,
                    "cannot read an OkHttp response; such calls are charged their reservation", error);
            quietly(() -> call.abandoned("response unreadable: " + error));
            return response;
        }
    }

    /** The agent's bookkeeping must never replace what the application gets from OkHttp. */
    private static void quietly(Runnable bookkeeping) {
        try {
            bookkeeping.run();
        } catch (Throwable ignored) {
            // the ledger is best effort here; the application's own outcome wins
        }
    }
}
