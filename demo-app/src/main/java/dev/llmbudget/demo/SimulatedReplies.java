package dev.llmbudget.demo;

import java.util.List;

/**
 * The text the simulator answers with: an analyst's "here is a clearer version" or a reviewer's
 * "still unclear" critique, about the churn finding in the demo's dataset excerpt.
 *
 * <p>Replies are deterministic in the request number, so two runs of the demo print the same
 * token counts and costs. Each reply is 250 to about 400 tokens (the size of a real model's
 * one-paragraph rewrite), built from whole sentences so it reads like one, never lorem ipsum.
 */
final class SimulatedReplies {

    static final int MIN_TOKENS = 250;
    /** Targets stay below 400 so the last whole sentence does not push a reply far past it. */
    private static final int TARGET_SPREAD = 121;

    /** The first sentences of {@link #REVISION_SENTENCES}: the finding, which every revision states first. */
    private static final int REVISION_LEAD = 2;

    private static final List<String> REVISION_SENTENCES = List.of(
            "Between May and September, monthly churn among annual-plan customers in the Northeast rose"
                    + " from 2.0% to 3.4%, while annual-plan churn in the other three regions stayed between 1.4% and 2.3%.",
            "The rise starts in July, the first full month after the annual list price moved from $119 to $139"
                    + " on 15 June, and it continues in August (3.1%) and September (3.4%).",
            "Monthly-plan customers in the same region show no comparable change (3.9% to 4.3% throughout),"
                    + " which makes a regional outage or a change in the retention team an unlikely explanation.",
            "The cancellations that were added come mostly from newer customers: the share from customers with"
                    + " under 12 months of tenure went from 52-54% in May and June to 77-81% from July on.",
            "Support tickets moved with churn in the Northeast annual segment, from 3.8-4.5 to 7.3-8.1 per 100"
                    + " active subscriptions, and the most frequent ticket reason became billing and renewal.",
            "The net promoter score of that segment fell from 31-36 before the price change to 22-28 after it,"
                    + " the largest drop anywhere in the excerpt.",
            "Put plainly: after the price rise, newer annual customers in one region started cancelling at about"
                    + " one and a half times their earlier rate, and nothing similar happened elsewhere.",
            "At the May-June rate, about 635 fewer Northeast annual customers would have cancelled in July to"
                    + " September, which is roughly $88,000 of annual recurring revenue at the new $139 price.",
            "Two caveats apply: five months of data cannot rule out a seasonal pattern, and September is"
                    + " preliminary and may still move by up to 0.2 percentage points.",
            "The evidence is a coincidence in timing, not proof that the price caused the cancellations;"
                    + " a controlled test of renewal offers would be the direct check.",
            "Churn here means cancellation requests received in a month divided by active subscriptions on its"
                    + " first day, expressed in percent, and every figure above is read from a row of the table.",
            "The only derived number is the revenue estimate, which multiplies the extra cancellations by"
                    + " the annual price and assumes none of those customers would have left anyway.",
            "I have removed the earlier mention of cohort curves, because the excerpt has no cohort data and"
                    + " a reader could not check that claim against it.",
            "The recommended next step is to pull the renewal-month cohorts for July to September and compare"
                    + " cancellation reasons in the Northeast before and after the price change.");

    private static final List<String> REVIEW_SENTENCES = List.of(
            "The opening sentence gives a rise in churn without saying whether it is a change in percentage"
                    + " points or a relative change, and a reader cannot tell which is meant.",
            "\"Newer customers\" is still not defined precisely enough: state the tenure threshold and name the"
                    + " column of the table it comes from.",
            "The link between the price change and the cancellations reads as stronger than the data allows;"
                    + " the summary should say in its first half that the evidence is only a timing coincidence.",
            "The revenue estimate mixes a quarterly count of customers with an annual price, and the reader has"
                    + " to rebuild the arithmetic to check it.",
            "The caveats come after the conclusion, so a reader who stops early takes away a finding without"
                    + " its limits.",
            "Support-ticket figures are quoted without saying that they are per 100 active subscriptions in"
                    + " every sentence where they appear, which invites comparison with raw counts.",
            "The summary does not explain why the other three regions are a fair comparison, even though their"
                    + " sizes and plan mix differ from the Northeast's.",
            "Several sentences repeat the same finding in different words, which makes the paragraph longer"
                    + " without making it any clearer.",
            "The net promoter score comes from an in-app survey with an unknown response rate, and the text"
                    + " treats it as if it described every customer in the segment.",
            "The recommendation does not say who would run the cohort comparison, or what result would change"
                    + " the conclusion.",
            "September is preliminary, yet its figure is used as the end point of the trend without a note"
                    + " beside it.",
            "A reader who has not seen the data should be able to follow the summary in under a minute, and"
                    + " this version does not yet meet that bar.");

    private SimulatedReplies() {
    }

    /**
     * The reply to the {@code n}-th request the simulator received (from 1).
     *
     * @param reviewer whether the request came from the reviewing agent (gets a critique that asks
     *                 for a clearer version) rather than the analyst (gets a revision)
     */
    static String reply(boolean reviewer, int n) {
        // The demo alternates analyst and reviewer calls, so requests 2r-1 and 2r are round r.
        int round = (n + 1) / 2;
        String opening = reviewer
                ? "I have checked revision " + round + " of the summary against the dataset excerpt, and the text is still unclear."
                : "Here is a clearer version of the summary (revision " + round + "), rewritten from the beginning as requested.";
        String closing = reviewer
                ? "Please rewrite the whole summary and send me a clearer version."
                : "I hope this version addresses every point in your last review.";
        List<String> sentences = reviewer ? REVIEW_SENTENCES : REVISION_SENTENCES;

        int target = MIN_TOKENS + Math.floorMod(n * 97, TARGET_SPREAD);
        int budgetForBody = target - TokenCounter.count(closing);
        StringBuilder text = new StringBuilder(opening);
        // A revision always leads with the finding itself; the rest starts at a different sentence
        // each time, so consecutive replies differ the way a model's rewrites do.
        int lead = reviewer ? 0 : REVISION_LEAD;
        int rest = sentences.size() - lead;
        int first = Math.floorMod(n * 5, rest);
        for (int i = 0; i < sentences.size() && TokenCounter.count(text.toString()) < budgetForBody; i++) {
            int index = i < lead ? i : lead + (first + i - lead) % rest;
            text.append(' ').append(sentences.get(index));
        }
        return text.append(' ').append(closing).toString();
    }
}
