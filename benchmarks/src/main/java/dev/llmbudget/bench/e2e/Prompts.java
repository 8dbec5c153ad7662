package dev.llmbudget.bench.e2e;

/** Deterministic prompt text for the end-to-end runs. */
final class Prompts {
    private static final String[] WORDS = ("the agent reserves the worst case before each call and settles the real "
            + "usage after it so that no loop or retry storm can spend past the limit while dashboards only report "
            + "what was already spent budget tokens model price window ledger refusal").split(" ");

    private Prompts() {
    }

    /** About 1,000 o200k tokens of English-like text (plain words are about one token each). */
    static String aboutThousandTokens() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 990; i++) {
            text.append(WORDS[(i * 7 + i / 13) % WORDS.length]).append(i % 17 == 16 ? ".\n" : " ");
        }
        return text.toString();
    }
}
