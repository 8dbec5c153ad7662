package dev.llmbudget.instrument;

import dev.llmbudget.core.Permit;
import dev.llmbudget.core.Usage;
import dev.llmbudget.wire.UsageReader;
import dev.llmbudget.wire.UsageTap;

/**
 * How a call is settled once its response body has ended, whichever layer read it: at the usage the
 * provider reported; a stream that ended without one (abandoned, cut) at the output it carried;
 * anything else, unknown, at its reservation.
 */
public final class UsageSettlement {
    private UsageSettlement() {
    }

    /** The outcome to give the {@link UsageTap} of {@code permit}'s response body. */
    public static UsageTap.Outcome of(Permit permit, UsageReader reader) {
        return (usage, reachedEnd) -> settle(permit, reader, usage, reachedEnd);
    }

    public static void settle(Permit permit, UsageReader reader, Usage usage, boolean reachedEnd) {
        if (usage != null) {
            permit.settle(usage);
            return;
        }
        String output = reader.outputSoFar();
        String why = reachedEnd ? "the stream ended without a usage report" : "the stream was closed before its end";
        if (output != null) {
            permit.settleFromOutputSoFar(output, why);
        } else {
            permit.chargeReservation(reachedEnd ? "no usage in the response" : "response closed before its end");
        }
    }
}
