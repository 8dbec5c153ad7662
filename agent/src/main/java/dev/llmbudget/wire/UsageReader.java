package dev.llmbudget.wire;

import dev.llmbudget.core.Usage;

/** Reads a provider's usage report out of a response body as the application reads the body. */
public interface UsageReader {

    /** The next bytes of the body, in order. */
    void accept(byte[] bytes, int offset, int length);

    /** The usage the body reported, or null when it reported none (or could not be read). */
    Usage finish();

    /**
     * For a stream that ended without a usage report: the output text its events carried, so that the
     * call is charged for what was generated. Null when the reader does not count output.
     */
    default String outputSoFar() {
        return null;
    }
}
