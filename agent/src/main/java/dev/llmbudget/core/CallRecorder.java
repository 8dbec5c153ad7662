package dev.llmbudget.core;

/** Receives the final record of each call (the ledger). Must not block the caller for long. */
@FunctionalInterface
public interface CallRecorder {
    CallRecorder NONE = record -> { };

    void record(CallRecord record);
}
