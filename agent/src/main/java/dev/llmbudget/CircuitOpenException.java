package dev.llmbudget;

/** The circuit for a provider and model is open after {@code limits.circuit.failures} failures: calls are refused until {@code limits.circuit.open-for} has passed and a probe succeeds. */
public class CircuitOpenException extends LimitExceededException {
    private static final long serialVersionUID = 1L;

    public CircuitOpenException(String message, String rule, long observed, long limit, String scope, long estimateMicros) {
        super(message, rule, observed, limit, scope, estimateMicros);
    }
}
