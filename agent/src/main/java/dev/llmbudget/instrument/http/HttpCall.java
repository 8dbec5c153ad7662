package dev.llmbudget.instrument.http;

import dev.llmbudget.core.Permit;
import dev.llmbudget.instrument.CallOwnership;
import dev.llmbudget.instrument.FailedCalls;
import dev.llmbudget.instrument.UsageSettlement;
import dev.llmbudget.wire.UsageReader;
import dev.llmbudget.wire.UsageTap;
import java.io.InputStream;

/** A request an HTTP-level layer sends under a permit, and how its end is settled. */
public final class HttpCall {
    private final Permit permit;
    private final HttpProtocol protocol;
    private final String url;
    private final byte[] bodyToSend;
    private CallOwnership.Owner owner;

    HttpCall(Permit permit, HttpProtocol protocol, String url, byte[] bodyToSend) {
        this.permit = permit;
        this.protocol = protocol;
        this.url = url;
        this.bodyToSend = bodyToSend;
    }

    /** The body to send instead of the application's (rewritten to the output ceiling), or null to send it as it is. */
    public byte[] bodyToSend() {
        return bodyToSend;
    }

    /** While the layer sends on this thread, calls it makes through other layers are this call's attempts. */
    public void claimThread() {
        owner = CallOwnership.claim(permit);
    }

    public void releaseThread() {
        CallOwnership.release(owner);
    }

    /** The provider answered with {@code status}: an error status costs nothing. Returns whether the body should be read for usage. */
    public boolean answered(int status) {
        if (status >= 400) {
            permit.httpError(status);
            return false;
        }
        return true;
    }

    /** A new reader for this call's response body. */
    public UsageReader usageReader() {
        return protocol.usageReader(permit.call(), url);
    }

    /** The response body as the application reads it: the same bytes, settling the call when it ends. */
    public InputStream tap(InputStream body) {
        UsageReader reader = usageReader();
        return new UsageTap(body, reader, UsageSettlement.of(permit, reader));
    }

    /** The body ended ({@code reachedEnd}) or was abandoned; {@code reader} saw all of it the application read. */
    public void bodyEnded(UsageReader reader, boolean reachedEnd) {
        UsageSettlement.settle(permit, reader, reader.finish(), reachedEnd);
    }

    /** The request was not sent under this permit (the layer could not prepare it): it costs nothing. */
    public void notSent(String detail) {
        permit.release("not sent: " + detail);
    }

    public void failed(Throwable error) {
        FailedCalls.finish(permit, error);
    }

    /** The application dropped the response unread, or the layer lost sight of it. */
    public void abandoned(String detail) {
        permit.chargeReservation(detail);
    }
}
