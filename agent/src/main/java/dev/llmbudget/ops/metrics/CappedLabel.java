package dev.llmbudget.ops.metrics;

import dev.llmbudget.log.AgentLog;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values one label may take, at most {@code cap} distinct ones; past that every new value is {@value #OTHER}.
 *
 * <p>Why: a label's values come from the host's requests (a model name is whatever string the application sends),
 * and each distinct value is a time series kept for the life of the JVM, here and in Prometheus. A host that sends
 * random model names must not be able to grow either without bound. Values are also cut to
 * {@value #MAX_LENGTH} characters, so the cap bounds memory, not only the number of series.
 */
final class CappedLabel {
    /** What a value past the cap is counted as. */
    static final String OTHER = "other";
    /** What a missing value (a record without a model, say) is counted as. */
    static final String UNKNOWN = "unknown";
    static final int MAX_LENGTH = 128;

    private final String label;
    private final int cap;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    /**
     * @param label the label's name, for the one WARN when the cap is reached
     * @param cap how many distinct values are kept as they are
     */
    CappedLabel(String label, int cap) {
        this.label = label;
        this.cap = cap;
    }

    /** The value to label with: {@code value} (cut to {@value #MAX_LENGTH} characters), or {@value #OTHER} past the cap. */
    String of(String value) {
        String cut = value == null || value.isEmpty() ? UNKNOWN
                : value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
        if (admitted.contains(cut)) {
            return cut;
        }
        synchronized (this) {
            if (admitted.contains(cut)) {
                return cut;
            }
            if (admitted.size() >= cap) {
                AgentLog.once("metrics:cap:" + label, AgentLog.Level.WARN, "metrics: more than " + cap + " distinct values of"
                        + " label " + label + "; the metrics count further ones as " + label + "=\"" + OTHER + "\"", null);
                return OTHER;
            }
            admitted.add(cut);
            return cut;
        }
    }
}
