package dev.llmbudget.instrument;

import dev.llmbudget.core.Permit;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;

/**
 * Settles a call that ended in an exception instead of a response. A call that surely never reached
 * the provider (no connection was made) costs nothing; any other failure (a read timeout, a reset
 * connection, an interrupted wait) may have been processed and billed, so it is charged its
 * reservation: conservative when blind.
 */
public final class FailedCalls {
    private static final int MAX_CAUSE_DEPTH = 16;

    private FailedCalls() {
    }

    public static void finish(Permit permit, Throwable error) {
        if (neverSent(error)) {
            permit.releaseUnreachable("not sent: " + error);
        } else {
            permit.chargeNoResponse("no response, the provider may have billed it: " + error);
        }
    }

    /** True when some cause in the chain says no connection to the provider was made. */
    static boolean neverSent(Throwable error) {
        Throwable cause = error;
        for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException || cause instanceof SSLHandshakeException
                    || isConnectTimeout(cause)) {
                return true;
            }
        }
        return false;
    }

    /** OkHttp and the JDK's socket report a connect timeout as a SocketTimeoutException saying so. */
    private static boolean isConnectTimeout(Throwable cause) {
        return cause instanceof SocketTimeoutException && cause.getMessage() != null
                && cause.getMessage().toLowerCase(Locale.ROOT).contains("connect");
    }
}
