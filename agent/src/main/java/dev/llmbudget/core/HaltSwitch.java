package dev.llmbudget.core;

/**
 * An operator's kill switch, asked before every call (a file, a JMX operation). Must be cheap: it is
 * on every call's path, on every thread. (The Redis key of {@code killswitch.redis-key} is checked
 * inside the store's reserve script instead, to save a round trip.)
 */
public interface HaltSwitch {
    HaltSwitch NONE = () -> null;

    /** Null while calls may proceed; otherwise why they may not and who or what said so. */
    Halt check();

    /**
     * A halt in force.
     *
     * @param rule the configuration key or control that tripped it, e.g. {@code killswitch.file}, {@code jmx:halt}
     * @param reason what the operator gave as the reason (file content, JMX argument), never null
     */
    record Halt(String rule, String reason) {
    }
}
