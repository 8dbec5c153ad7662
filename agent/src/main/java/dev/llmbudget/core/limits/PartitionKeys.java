package dev.llmbudget.core.limits;

import dev.llmbudget.core.Partition;

/** The partition key of a call for a limit split by {@code limits.*.per}, and how a refusal names it. */
final class PartitionKeys {
    private PartitionKeys() {
    }

    static String keyOf(Partition per, LimitedCall call) {
        return switch (per) {
            case GLOBAL -> "global";
            case TENANT -> "tenant " + (call.scope().tenant() == null ? "(none)" : call.scope().tenant());
            case TASK -> "run " + (call.scope().run() == null ? "(none)" : call.scope().run().id());
            case API_KEY -> "API key " + (call.call().keyFingerprint() == null ? "(none)" : call.call().keyFingerprint());
            case MODEL -> "model " + call.call().model();
        };
    }
}
