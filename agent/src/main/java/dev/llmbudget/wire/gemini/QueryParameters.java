package dev.llmbudget.wire.gemini;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Query parameters of a request URL. Gemini puts two things there that the agent needs: the API key
 * ({@code key=}, the form Google's samples and several SDKs use) and the stream format ({@code alt=sse}).
 */
final class QueryParameters {
    private QueryParameters() {
    }

    /** The decoded value of the first parameter named {@code name}, or null when there is none. */
    static String get(String url, String name) {
        if (url == null) {
            return null;
        }
        int start = url.indexOf('?');
        if (start < 0) {
            return null;
        }
        int end = url.indexOf('#', start);
        String query = url.substring(start + 1, end < 0 ? url.length() : end);
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (key.equals(name)) {
                return equals < 0 ? "" : decode(pair.substring(equals + 1));
            }
        }
        return null;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return text; // a stray '%' is taken literally rather than losing the parameter
        }
    }
}
