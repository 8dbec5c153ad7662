package dev.llmbudget.instrument.stainless;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.core.CallGate;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.OutputCeiling;
import dev.llmbudget.core.Permit;
import dev.llmbudget.instrument.CallOwnership;
import dev.llmbudget.instrument.Enforcement;
import dev.llmbudget.instrument.FailedCalls;
import dev.llmbudget.log.AgentLog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What the advice on a Stainless-generated SDK's {@code RetryingHttpClient} calls (the OpenAI and the
 * Anthropic Java SDKs share that runtime; {@link SdkProtocol} holds what differs). Public and static,
 * taking and returning {@code Object}, because the advice is inlined into the SDK's class and links
 * from there.
 *
 * <p>Hooked at {@code RetryingHttpClient.execute/executeAsync}, the call is seen once per logical
 * request, above the SDK's retry loop: the SDK's retries neither re-reserve nor re-charge, and a
 * refusal is thrown before the loop starts, so it is never retried. Every endpoint passes through
 * here (and {@code withRawResponse()}); unmetered ones (models, files, token counting) pass through
 * untouched. Never throws anything but a refusal.
 */
public final class StainlessSdkBridge {

    private StainlessSdkBridge() {
    }

    /** A call this bridge guards: its permit, and what it needs to read the response. */
    static final class GuardedCall {
        final Permit permit;
        final SdkHttpAccess access;
        /** The request to send in place of the application's: its body already written, or null. */
        final Object requestToSend;
        /** Whether the body sent was rewritten, so that what it adds to the response must be left out. */
        final boolean rewritten;
        /** This call's claim on the thread, so that the HTTP client under the SDK does not guard it again. */
        CallOwnership.Owner owner;

        GuardedCall(Permit permit, SdkHttpAccess access, Object requestToSend, boolean rewritten) {
            this.permit = permit;
            this.access = access;
            this.requestToSend = requestToSend;
            this.rewritten = rewritten;
        }
    }

    /**
     * Pre-flight for a request. Returns a {@link GuardedCall}, a {@link BudgetExceededException} to
     * throw instead of sending, or null to let the request pass untouched.
     */
    public static Object begin(Object client, Object request) {
        CallGate gate = Enforcement.gate();
        if (gate == null || request == null || CallOwnership.isClaimed()) {
            return null;
        }
        LlmCall call = null;
        SdkHttpAccess access = null;
        try {
            access = SdkHttpAccess.forRequest(request);
            SdkProtocol protocol = access.protocol();
            String method = access.method(request);
            String url = access.url(request);
            if (protocol == null || !protocol.metered(method, url)) {
                return null;
            }
            byte[] body = access.bodyBytes(request);
            if (body == null) {
                throw new IllegalStateException("the request body of " + url + " cannot be read");
            }
            SdkHttpAccess headerAccess = access;
            call = protocol.readCall(method, url, body, name -> {
                try {
                    return headerAccess.header(request, name);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }, client).through(protocol.where());
            Permit permit = gate.preflight(call);
            try {
                GuardedCall guarded = prepare(permit, protocol, access, request, method, url, body);
                guarded.owner = CallOwnership.claim(permit);
                return guarded;
            } catch (RuntimeException | Error error) {
                // whatever fails between the reservation and the send, the permit must not keep holding budget
                permit.release("guarding failed before sending: " + error);
                throw error;
            }
        } catch (BudgetExceededException refusal) {
            return refusal;
        } catch (Throwable error) {
            return Enforcement.internalError(access == null || access.protocol() == null ? "stainless-sdk" : access.protocol().where(),
                    call, error);
        }
    }

    /** The request as it will be sent under {@code permit}: rewritten as the protocol and the output ceiling need. */
    private static GuardedCall prepare(Permit permit, SdkProtocol protocol, SdkHttpAccess access, Object request,
                                       String method, String url, byte[] body) {
        SdkProtocol.Rewrite rewrite = rewrite(protocol, method, url, body, permit.clampedOutputTokens());
        Object toSend = withBodyWritten(access, request, rewrite != null ? rewrite.body() : body);
        if (permit.clampedOutputTokens() > 0 && (rewrite == null || toSend == null)) {
            // the reservation assumes the ceiling: the request must not go out asking for more
            throw new IllegalStateException("cannot rewrite the request to " + OutputCeiling.KEY + "="
                    + permit.clampedOutputTokens());
        }
        return new GuardedCall(permit, access, toSend, rewrite != null && rewrite.addsEvents() && toSend != null);
    }

    /** The request the SDK should send: the application's, or the same with its body already written. */
    public static Object requestToSend(Object begun, Object request) {
        return begun instanceof GuardedCall guarded && guarded.requestToSend != null ? guarded.requestToSend : request;
    }

    /** The protocol's rewrite of the body, or null: a rewrite that fails leaves the body as the application wrote it. */
    private static SdkProtocol.Rewrite rewrite(SdkProtocol protocol, String method, String url, byte[] body,
                                               long maxOutputTokens) {
        try {
            return protocol.rewriteBody(method, url, body, maxOutputTokens);
        } catch (Throwable error) {
            AgentLog.once(protocol.where() + ":rewrite", AgentLog.Level.WARN, "cannot rewrite a request body (stream usage,"
                    + " output ceiling); such calls are charged their reservation or handled under on-internal-error", error);
            return null;
        }
    }

    /** Null if the body cannot be swapped: the SDK then serializes the request again, as it would anyway. */
    private static Object withBodyWritten(SdkHttpAccess access, Object request, byte[] body) {
        try {
            return access.withBodyBytes(request, body);
        } catch (Throwable error) {
            AgentLog.once("stainless-sdk:body-swap", AgentLog.Level.DEBUG,
                    "cannot hand the SDK the request body already written; it serializes it again", error);
            return null;
        }
    }

    /** The refusal {@link #begin} decided, or null when the request may be sent. */
    public static Throwable refusal(Object begun) {
        return begun instanceof BudgetExceededException refusal ? refusal : null;
    }

    /** After a blocking request: settle from the response, or release on failure. Returns the response the application gets. */
    public static Object end(Object begun, Object response, Throwable thrown) {
        if (!(begun instanceof GuardedCall guarded)) {
            return response;
        }
        CallOwnership.release(guarded.owner);
        return finish(guarded, response, thrown);
    }

    /** After an asynchronous request was started: the future the application gets. */
    public static Object endAsync(Object begun, Object future, Throwable thrown) {
        if (begun instanceof BudgetExceededException refusal) {
            return CompletableFuture.failedFuture(refusal);
        }
        if (!(begun instanceof GuardedCall guarded)) {
            return future;
        }
        CallOwnership.release(guarded.owner);
        if (thrown != null || !(future instanceof CompletableFuture<?> started)) {
            guarded.permit.release(thrown == null ? "no future returned" : "failed to start: " + thrown);
            return future;
        }
        return started.handle((response, error) -> {
            if (error != null) {
                FailedCalls.finish(guarded.permit, error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                throw error instanceof CompletionException completion ? completion : new CompletionException(error);
            }
            return finish(guarded, response, null);
        });
    }

    private static Object finish(GuardedCall guarded, Object response, Throwable thrown) {
        Permit permit = guarded.permit;
        if (thrown != null) {
            FailedCalls.finish(permit, thrown);
            return response;
        }
        if (response == null) {
            permit.chargeReservation("no response object");
            return response;
        }
        try {
            int status = guarded.access.statusCode(response);
            if (status >= 400) {
                permit.httpError(status);
                return response;
            }
            return GuardedResponse.wrap(response, guarded.access, permit, guarded.access.protocol().usageReader(permit.call()),
                    guarded.rewritten);
        } catch (Throwable error) {
            AgentLog.once("stainless-sdk:response", AgentLog.Level.ERROR,
                    "cannot read the OpenAI SDK's response; such calls are charged their reservation", error);
            permit.chargeReservation("response unreadable: " + error);
            return response;
        }
    }
}
