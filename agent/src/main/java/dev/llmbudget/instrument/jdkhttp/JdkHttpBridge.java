package dev.llmbudget.instrument.jdkhttp;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.instrument.http.HttpCall;
import dev.llmbudget.instrument.http.HttpCallGuard;
import dev.llmbudget.log.AgentLog;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Guards one {@code HttpClient.send}/{@code sendAsync} to a known LLM host: reads the request body
 * from its publisher (sending the same bytes again if the publisher could not be read twice), and
 * wraps the application's {@link HttpResponse.BodyHandler} so the response is settled from the bytes
 * the application's own subscriber receives. Never throws anything but a refusal.
 */
final class JdkHttpBridge {
    private static final String WHERE = "jdk-http-client";

    private JdkHttpBridge() {
    }

    /** See {@link JdkHttpHooks#BEGIN}. */
    static Object[] begin(Object requestObject, Object handlerObject) {
        if (!(requestObject instanceof HttpRequest request) || !(handlerObject instanceof HttpResponse.BodyHandler<?> handler)) {
            return null;
        }
        URI uri = request.uri();
        RequestBodies.Body body = new RequestBodies.Body(request);
        Object begun = HttpCallGuard.begin(WHERE, request.method(), uri.toString(), uri.getHost(), port(uri),
                name -> request.headers().firstValue(name).orElse(null), body::bytes);
        if (begun instanceof BudgetExceededException refusal) {
            return new Object[] {request, handler, refusal, null};
        }
        if (!(begun instanceof HttpCall call)) {
            return null;
        }
        try {
            byte[] replacement = call.bodyToSend() != null ? call.bodyToSend() : body.mustBeResent() ? body.cached() : null;
            HttpRequest toSend = replacement == null ? request : RequestBodies.withBody(request, replacement);
            return new Object[] {toSend, new GuardedBodyHandler<>(handler, call), null, call};
        } catch (RuntimeException | Error error) {
            AgentLog.once(WHERE + ":prepare", AgentLog.Level.ERROR, "cannot prepare a guarded JDK HttpClient request;"
                    + " it is sent unguarded", error);
            call.abandoned("guarding failed before sending: " + error);
            return null;
        }
    }

    /** See {@link JdkHttpHooks#SENT}. Failures settle here; a response settles through its body handler. */
    static void sent(Object state, Object future, Throwable thrown) {
        if (!(state instanceof HttpCall call)) {
            return;
        }
        if (thrown != null) {
            call.failed(thrown);
        } else if (future instanceof CompletableFuture<?> started) {
            started.whenComplete((response, error) -> {
                if (error != null) {
                    call.failed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                }
            });
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }
}
