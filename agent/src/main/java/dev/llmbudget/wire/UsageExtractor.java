package dev.llmbudget.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.core.Usage;

/** A protocol's knowledge of where usage sits in one JSON document (a response, or one stream event). */
@FunctionalInterface
public interface UsageExtractor {
    /** The usage in {@code document}, or null when it holds none. */
    Usage usageIn(JsonNode document);

    /**
     * The output text one stream event carries (a delta of generated text, tool-call arguments or
     * reasoning), or null. A stream that ends before it reports usage is charged for the output
     * counted from these, never $0 and never silently its whole reservation.
     */
    default String outputTextIn(JsonNode event) {
        return null;
    }
}
