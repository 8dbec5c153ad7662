package dev.llmbudget.agent;

import dev.llmbudget.core.Durations;
import dev.llmbudget.core.limits.LimitSettings;
import dev.llmbudget.pricing.Money;
import java.util.ArrayList;
import java.util.List;

/** The limits in force, in one line of the startup message, e.g. {@code task.max-calls 20, circuit 5 failures/1m open 30s}. */
final class LimitsSummary {
    private LimitsSummary() {
    }

    static String of(LimitSettings limits) {
        List<String> parts = new ArrayList<>();
        if (limits.taskMaxCalls() > 0) {
            parts.add("task.max-calls " + limits.taskMaxCalls());
        }
        if (limits.taskMaxTokens() > 0) {
            parts.add("task.max-tokens " + limits.taskMaxTokens());
        }
        if (limits.retryMaxAttempts() > 0) {
            parts.add("retry.max-attempts " + limits.retryMaxAttempts());
        }
        if (limits.circuitFailures() > 0) {
            parts.add("circuit " + limits.circuitFailures() + " failures/" + Durations.format(limits.circuitWindow())
                    + " open " + Durations.format(limits.circuitOpenFor()));
        }
        if (limits.loopIdenticalRequests() > 0) {
            parts.add("loop.identical-requests " + limits.loopIdenticalRequests());
        }
        if (limits.loopPingPong() > 0) {
            parts.add("loop.ping-pong " + limits.loopPingPong());
        }
        String action = limits.rateWait() ? "wait" : "refuse";
        if (limits.rateCallsPerMinute() > 0) {
            parts.add("rate " + limits.rateCallsPerMinute() + " calls/min per " + limits.ratePer().configName() + " (" + action + ")");
        }
        if (limits.rateTokensPerMinute() > 0) {
            parts.add("rate " + limits.rateTokensPerMinute() + " tokens/min per " + limits.ratePer().configName() + " (" + action + ")");
        }
        if (limits.concurrencyMax() > 0) {
            parts.add("concurrency " + limits.concurrencyMax() + " per " + limits.concurrencyPer().configName()
                    + " (" + (limits.concurrencyWait() ? "wait" : "refuse") + ")");
        }
        if (limits.burnRateMicrosPerMinute() > 0) {
            parts.add("burn-rate " + Money.format(limits.burnRateMicrosPerMinute()) + "/min");
        }
        return String.join(", ", parts);
    }
}
