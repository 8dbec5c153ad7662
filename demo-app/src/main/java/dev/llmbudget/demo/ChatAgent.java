package dev.llmbudget.demo;

/**
 * One of the two "agents": nothing but a system prompt and an opening user message. Everything
 * else they say comes from the model.
 */
record ChatAgent(String name, String systemPrompt, String openingMessage) {

    static ChatAgent analyzer(String dataset) {
        return new ChatAgent("Analyzer",
                "You are a research analyst. You write a short, accurate, one-paragraph summary of the most"
                        + " important finding in a dataset, for readers who will not look at the data."
                        + " When asked for changes, you rewrite the whole summary from the beginning.",
                "Here is an excerpt of the dataset.\n\n" + dataset
                        + "\nWrite a one-paragraph summary of the most important finding in this excerpt.");
    }

    static ChatAgent verifier(String dataset) {
        return new ChatAgent("Verifier",
                "You are a strict reviewer of data summaries. You check every claim against the data and"
                        + " every sentence for clarity. You always find something unclear, say exactly what,"
                        + " and ask the analyst for a clearer version.",
                "You will review an analyst's summaries of the following dataset excerpt.\n\n" + dataset
                        + "\nThe analyst's latest summary follows. Review it.");
    }
}
