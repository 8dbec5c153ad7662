package dev.llmbudget.wire.gemini;

import dev.llmbudget.wire.UrlPaths;
import java.util.Objects;

/**
 * A metered Gemini endpoint, with the model it calls. Gemini names both in the URL path, as a custom
 * method on a model resource: {@code /v1beta/models/gemini-2.5-flash:generateContent} (Gemini API),
 * {@code /v1/projects/P/locations/L/publishers/google/models/gemini-2.5-flash:streamGenerateContent}
 * (Vertex AI). The request body does not name the model, so the path is the only place to read it.
 */
public final class GeminiEndpoint {
    private static final String GENERATE = "generateContent";
    private static final String STREAM = "streamGenerateContent";
    private static final String EMBED = "embedContent";
    private static final String BATCH_EMBED = "batchEmbedContents";

    private final String label;
    private final String model;
    private final boolean sse;

    private GeminiEndpoint(String label, String model, boolean sse) {
        this.label = label;
        this.model = model;
        this.sse = sse;
    }

    /**
     * The metered endpoint a request to {@code url} calls, or null. Only POSTs of the four methods
     * above are metered: {@code countTokens} and {@code computeTokens} are free, and models, files,
     * cached contents, batches ({@code batchGenerateContent}) and long-running predictions are not
     * metered (yet), so they pass unguarded.
     */
    public static GeminiEndpoint of(String httpMethod, String url) {
        if (!"POST".equalsIgnoreCase(httpMethod) || url == null) {
            return null;
        }
        String path = UrlPaths.pathOf(url);
        int slash = path.lastIndexOf('/');
        String last = path.substring(slash + 1);
        int colon = last.indexOf(':');
        int methodStart = colon + 1;
        if (colon < 0) {
            // some HTTP clients percent-encode the ':' of a custom method
            colon = indexOfIgnoreCase(last, "%3A");
            methodStart = colon + 3;
        }
        if (colon <= 0 || slash < 0) {
            return null;
        }
        String label = labelOf(last.substring(methodStart));
        String model = label == null ? null : modelOf(path.substring(0, slash), last.substring(0, colon));
        if (model == null) {
            return null;
        }
        boolean sse = label.equals(STREAM) && isSse(url);
        return new GeminiEndpoint(label, model, sse);
    }

    /** The model the path names, e.g. {@code gemini-2.5-flash}; {@code tunedModels/x} or {@code endpoints/123} when it names no base model. */
    public String model() {
        return model;
    }

    /** Whether the response is a stream (of JSON array elements, or of SSE events when {@link #sse()}). */
    public boolean stream() {
        return label.equals(STREAM);
    }

    /** Whether the response is a stream of server-sent events ({@code streamGenerateContent?alt=sse}). */
    public boolean sse() {
        return sse;
    }

    /** The method name: {@code generateContent}, {@code streamGenerateContent}, {@code embedContent} or {@code batchEmbedContents}. */
    public String label() {
        return label;
    }

    /** False for embeddings: they bill input only. */
    public boolean producesOutput() {
        return label.equals(GENERATE) || label.equals(STREAM);
    }

    private static String labelOf(String method) {
        return switch (method) {
            case GENERATE, STREAM, EMBED, BATCH_EMBED -> method;
            default -> null;
        };
    }

    /**
     * The model from the resource the method is called on: the id of a {@code models/} resource (the
     * Gemini API's, or Vertex AI's {@code publishers/google/models/}); a tuned model or a Vertex AI
     * endpoint keeps its collection, so that the ledger shows it is no base model (and price lookups
     * do not mistake it for one). Any other path is no Gemini call.
     */
    private static String modelOf(String parent, String id) {
        String collection = parent.substring(parent.lastIndexOf('/') + 1);
        return switch (collection) {
            case "models" -> id;
            case "tunedModels", "endpoints" -> collection + "/" + id;
            default -> null;
        };
    }

    /** {@code alt=sse}, or its system-parameter spelling {@code $alt=sse}. */
    private static boolean isSse(String url) {
        String alt = QueryParameters.get(url, "alt");
        if (alt == null) {
            alt = QueryParameters.get(url, "$alt");
        }
        return "sse".equalsIgnoreCase(alt);
    }

    private static int indexOfIgnoreCase(String text, String needle) {
        for (int i = 0; i + needle.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, needle, 0, needle.length())) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GeminiEndpoint that && label.equals(that.label) && model.equals(that.model) && sse == that.sse;
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, model, sse);
    }

    @Override
    public String toString() {
        return "GeminiEndpoint[" + model + ":" + label + (sse ? "?alt=sse" : "") + "]";
    }
}
