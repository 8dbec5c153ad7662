package dev.llmbudget.instrument.http;

import dev.llmbudget.BudgetExceededException;
import dev.llmbudget.core.CallGate;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Permit;
import dev.llmbudget.instrument.CallOwnership;
import dev.llmbudget.instrument.Enforcement;
import dev.llmbudget.tokens.Prompt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Pre-flight for the layers that see raw HTTP (the JDK's {@code HttpClient}, OkHttp), free of any
 * HTTP library's types: each layer hands over what it can read of a request and applies what comes
 * back. Only requests to a known LLM host ({@code providers.hosts}) on a metered endpoint are read;
 * a request that a layer above (an SDK, LangChain4j) already guards is passed through and counted as
 * one of that call's HTTP attempts.
 */
public final class HttpCallGuard {

    /** Reads a request's body; null when it cannot be read without consuming it. */
    @FunctionalInterface
    public interface BodySource {
        byte[] read() throws IOException;
    }

    /** Sent by every Stainless-generated SDK (OpenAI's and Anthropic's Java SDKs) on every attempt. */
    static final String STAINLESS_SDK_HEADER = "X-Stainless-Lang";

    private HttpCallGuard() {
    }

    /**
     * Decides a request: null to let it pass untouched, a {@link BudgetExceededException} to throw
     * instead of sending it, or an {@link HttpCall} to send under.
     *
     * @param where the layer, for logs and the ledger (e.g. {@code okhttp})
     * @param port the request's port, the scheme's default filled in
     */
    public static Object begin(String where, String method, String url, String host, int port,
                               UnaryOperator<String> headers, BodySource body) {
        CallGate gate = Enforcement.gate();
        if (gate == null || url == null) {
            return null;
        }
        if (CallOwnership.isClaimed()) {
            CallOwnership.reportAttempt();
            return null;
        }
        LlmCall call = null;
        try {
            if (!Enforcement.providerHosts().matches(host, port)) {
                return null;
            }
            HttpProtocol protocol = HttpProtocol.of(method, url);
            if (protocol == null || headers.apply(STAINLESS_SDK_HEADER) != null) {
                // the OpenAI and Anthropic SDKs guard their calls above their retry loop; an asynchronous
                // retry reaches the HTTP client from a timer thread that carries no claim, so the SDK's own
                // header is what says the call is already owned
                return null;
            }
            byte[] bytes = body.read();
            if (bytes == null) {
                throw new IllegalStateException("the request body to " + host + " cannot be read without consuming it");
            }
            call = readCall(protocol, method, url, bytes, headers).through(where);
            Permit permit = gate.preflight(call);
            try {
                byte[] toSend = permit.clampedOutputTokens() > 0
                        ? protocol.withMaxOutputTokens(method, url, bytes, permit.clampedOutputTokens()) : null;
                return new HttpCall(permit, protocol, url, toSend);
            } catch (IOException | RuntimeException error) {
                // the reservation assumes the ceiling: the request must not go out asking for more
                permit.release("guarding failed before sending: " + error);
                throw error;
            }
        } catch (BudgetExceededException refusal) {
            return refusal;
        } catch (Throwable error) {
            return Enforcement.internalError(where, call, error);
        }
    }

    /**
     * A body that does not read as the protocol's JSON is still guarded, conservatively: its whole
     * text counts as input (the counter bounds what it cannot tokenize by bytes) and the model is
     * unknown, so {@code pricing.unknown-model} decides (refused by default).
     */
    private static LlmCall readCall(HttpProtocol protocol, String method, String url, byte[] body,
                                    UnaryOperator<String> headers) {
        try {
            return protocol.readCall(method, url, body, headers);
        } catch (IOException | RuntimeException unreadable) {
            return new LlmCall(protocol.name(), "unreadable-request", "unknown",
                    Prompt.ofText(new String(body, StandardCharsets.UTF_8)), 0, 1, true, false, null);
        }
    }
}
