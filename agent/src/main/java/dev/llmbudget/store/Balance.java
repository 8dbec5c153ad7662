package dev.llmbudget.store;

/** An account's settled spend and the spend held by calls in flight, micro-USD. */
public record Balance(long spentMicros, long heldMicros) {
    public static final Balance EMPTY = new Balance(0, 0);

    public Balance plus(Balance other) {
        return new Balance(spentMicros + other.spentMicros, heldMicros + other.heldMicros);
    }
}
