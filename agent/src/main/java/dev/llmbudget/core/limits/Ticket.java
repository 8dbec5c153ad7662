package dev.llmbudget.core.limits;

/**
 * What one limit took for an admitted call (a slot, a count, rate tokens): given back or corrected
 * exactly once, when the call ends or when a later check refuses it after all.
 */
public interface Ticket {
    Ticket NONE = new Ticket() {
        @Override
        public void end(CallEnd end) {
        }

        @Override
        public void cancel() {
        }
    };

    /** The call was sent and has ended. */
    void end(CallEnd end);

    /** The call was refused by a later check and never sent: undo what admitting it took. */
    void cancel();
}
