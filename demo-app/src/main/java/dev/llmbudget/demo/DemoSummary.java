package dev.llmbudget.demo;

import java.io.PrintStream;

/** The block the demo ends with: what the loop did, what it cost, and who stopped it. */
final class DemoSummary {

    private final PrintStream out;
    private final String model;
    private final int maxRounds;
    /** The simulator's request count, or -1 against a real endpoint (which we cannot ask). */
    private final int requestsReceived;

    DemoSummary(PrintStream out, String model, int maxRounds, int requestsReceived) {
        this.out = out;
        this.model = model;
        this.maxRounds = maxRounds;
        this.requestsReceived = requestsReceived;
    }

    void print(RunawayLoop.Outcome outcome, CostTally tally) {
        out.println();
        out.println("== Runaway agents demo ==");
        switch (outcome.ending()) {
            case CAPPED -> {
                out.println("rounds completed : " + outcome.roundsCompleted() + " of " + maxRounds
                        + " (stopped by the demo's own cap)");
                printCalls(tally);
                printTokens(tally);
                out.println("cost at list prices: " + CostTally.usd(tally.costMicros()) + " " + priceNote());
            }
            case REFUSED -> {
                out.println("rounds completed : " + outcome.roundsCompleted() + " of " + maxRounds);
                out.println("stopped by       : llm-budget-agent (" + outcome.thrown().getClass().getName() + ")");
                out.println("refused call     : " + outcome.refusedCall() + " (call " + (tally.calls() + 1) + ")");
                out.println("refusal          : " + outcome.thrown().getMessage());
                printCalls(tally);
                printTokens(tally);
                out.println("spent            : " + CostTally.usd(tally.costMicros()) + " " + priceNote());
                long capCalls = 2L * maxRounds;
                long estimate = tally.estimateMicrosFor(capCalls);
                out.println("without the agent this loop would have run to " + capCalls + " calls ("
                        + (estimate < 0 ? "no call completed, so no estimate of its cost"
                        : "about " + roughUsd(estimate) + " at list prices, estimated from the average cost per call so far")
                        + ")");
            }
            case FAILED -> {
                out.println("rounds completed : " + outcome.roundsCompleted() + " of " + maxRounds);
                out.println("failed           : " + outcome.refusedCall() + ": " + outcome.thrown());
                printCalls(tally);
                printTokens(tally);
                out.println("spent            : " + CostTally.usd(tally.costMicros()) + " " + priceNote());
            }
        }
    }

    private void printCalls(CostTally tally) {
        out.println("LLM calls made   : " + tally.calls()
                + (requestsReceived < 0 ? "" : " (the simulator received " + requestsReceived + " requests)"));
    }

    private void printTokens(CostTally tally) {
        out.printf("tokens           : %,d in / %,d out%n", tally.promptTokens(), tally.completionTokens());
    }

    private String priceNote() {
        return CostTally.PRICED_MODEL.equals(model)
                ? "(" + model + ": " + CostTally.PRICE_LABEL + ")"
                : "(priced as " + CostTally.PRICED_MODEL + ": " + CostTally.PRICE_LABEL + "; " + model + "'s own prices differ)";
    }

    /** Whole dollars for an estimate from $10 up, where cents would suggest false precision. */
    private static String roughUsd(long micros) {
        return micros >= 10_000_000L ? CostTally.usd(micros, 0) : CostTally.usd(micros);
    }
}
