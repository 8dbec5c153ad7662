package dev.llmbudget.wire.anthropic;

import dev.llmbudget.wire.UrlPaths;

/** The metered Anthropic endpoints, recognised by the end of the URL path. */
public enum AnthropicEndpoint {
    /** {@code POST /v1/messages}, also with the beta service's {@code ?beta=true}. */
    MESSAGES("messages", "/v1/messages");

    private final String label;
    private final String pathSuffix;

    AnthropicEndpoint(String label, String pathSuffix) {
        this.label = label;
        this.pathSuffix = pathSuffix;
    }

    public String label() {
        return label;
    }

    /**
     * The endpoint a request calls, or null for an unmetered one: {@code /v1/messages/count_tokens}
     * (free), models, files, and message batches (not metered yet).
     */
    public static AnthropicEndpoint of(String httpMethod, String url) {
        if (!"POST".equalsIgnoreCase(httpMethod) || url == null) {
            return null;
        }
        String path = UrlPaths.pathOf(url);
        for (AnthropicEndpoint endpoint : values()) {
            if (path.endsWith(endpoint.pathSuffix)) {
                return endpoint;
            }
        }
        return null;
    }
}
