package dev.llmbudget.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.core.Usage;

/** A protocol's knowledge of where usage sits in one JSON document (a response, or one stream event). */
@FunctionalInterface
public interface UsageExtractor {
    /** The usage in {@code document}, or null when it holds none. */
    Usage usageIn(JsonNode document);
}
