package dev.llmbudget.instrument;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class FailedCallsTest {

    @Test
    void noConnectionMeansNeverSentWhereverItSitsInTheCauseChain() {
        assertTrue(FailedCalls.neverSent(new ConnectException("Connection refused")));
        assertTrue(FailedCalls.neverSent(new RuntimeException("Request failed", new IOException(new UnknownHostException("api.openai.com")))));
        assertTrue(FailedCalls.neverSent(new SocketTimeoutException("connect timed out")));
    }

    @Test
    void aFailureAfterConnectingMayHaveBeenBilled() {
        assertFalse(FailedCalls.neverSent(new SocketTimeoutException("timeout")));
        assertFalse(FailedCalls.neverSent(new SocketTimeoutException("Read timed out")));
        assertFalse(FailedCalls.neverSent(new RuntimeException("Request failed", new InterruptedIOException("interrupted"))));
        assertFalse(FailedCalls.neverSent(new IOException("unexpected end of stream")));
    }

    @Test
    void aCyclicCauseChainEnds() {
        Exception first = new Exception("first");
        Exception second = new Exception("second", first);
        first.initCause(second);
        assertFalse(FailedCalls.neverSent(first));
    }
}
