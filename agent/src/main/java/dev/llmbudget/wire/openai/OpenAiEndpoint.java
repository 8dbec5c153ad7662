package dev.llmbudget.wire.openai;

import dev.llmbudget.wire.UrlPaths;

/** The metered OpenAI (and OpenAI-compatible) endpoints, recognised by the end of the URL path. */
public enum OpenAiEndpoint {
    CHAT_COMPLETIONS("chat.completions", "/chat/completions"),
    RESPONSES("responses", "/responses"),
    EMBEDDINGS("embeddings", "/embeddings"),
    COMPLETIONS("completions", "/completions");

    private final String label;
    private final String pathSuffix;

    OpenAiEndpoint(String label, String pathSuffix) {
        this.label = label;
        this.pathSuffix = pathSuffix;
    }

    public String label() {
        return label;
    }

    /**
     * The endpoint a POST to {@code url} calls, or null for an unmetered one (models, files, batches,
     * retrieving a stored response). Azure's {@code /openai/deployments/<name>/chat/completions} is
     * recognised by the same suffixes.
     */
    public static OpenAiEndpoint of(String method, String url) {
        if (!"POST".equalsIgnoreCase(method) || url == null) {
            return null;
        }
        String path = UrlPaths.pathOf(url);
        for (OpenAiEndpoint endpoint : values()) {
            if (path.endsWith(endpoint.pathSuffix)) {
                return endpoint;
            }
        }
        return null;
    }

    /** Azure names the model by deployment in the path: {@code .../deployments/<name>/...}, else null. */
    public static String azureDeployment(String url) {
        String path = UrlPaths.pathOf(url);
        int at = path.indexOf("/deployments/");
        if (at < 0) {
            return null;
        }
        int start = at + "/deployments/".length();
        int end = path.indexOf('/', start);
        return end < 0 ? path.substring(start) : path.substring(start, end);
    }
}
