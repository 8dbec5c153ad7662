package dev.llmbudget.it.apps;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

/** The OpenAI SDK client of the incident hosts: pointed at the fake ({@code it.baseUrl}), with as many SDK retries as the scenario asks. */
final class IncidentClients {
    static final String MODEL = "gpt-4o";

    private IncidentClients() {
    }

    static OpenAIClient openAi(int maxRetries) {
        return OpenAIOkHttpClient.builder().baseUrl(System.getProperty("it.baseUrl"))
                .apiKey("sk-test-incident-key-00000001").maxRetries(maxRetries).build();
    }
}
