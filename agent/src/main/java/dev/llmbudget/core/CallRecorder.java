package dev.llmbudget.core;

/** Receives the final record of each call (the ledger). Must not block the caller for long. */
@FunctionalInterface
public interface CallRecorder {
    CallRecorder NONE = record -> { };

    void record(CallRecord record);

    /**
     * Every recorder of {@code recorders} (nulls skipped) in order, each isolated from the others: one that throws
     * (a metrics bug, say) neither fails the call nor keeps the ledger from its line.
     */
    static CallRecorder all(java.util.List<CallRecorder> recorders) {
        CallRecorder[] each = recorders.stream().filter(java.util.Objects::nonNull).toArray(CallRecorder[]::new);
        if (each.length == 1) {
            return each[0];
        }
        return record -> {
            for (CallRecorder recorder : each) {
                try {
                    recorder.record(record);
                } catch (RuntimeException error) {
                    dev.llmbudget.log.AgentLog.once("recorder:" + recorder.getClass().getName(), dev.llmbudget.log.AgentLog.Level.ERROR,
                            "a call's record could not be passed to " + recorder.getClass().getName() + "; the call is not affected", error);
                }
            }
        };
    }
}
