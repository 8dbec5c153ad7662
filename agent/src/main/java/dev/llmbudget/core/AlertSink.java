package dev.llmbudget.core;

/**
 * Where alerts go (a WARN line, the webhook, a JMX notification). Called on the thread where the event
 * happened, often an application thread making an LLM call: an implementation hands the alert off and
 * returns at once, and never throws.
 */
@FunctionalInterface
public interface AlertSink {
    AlertSink NONE = alert -> { };

    void raise(Alert alert);
}
