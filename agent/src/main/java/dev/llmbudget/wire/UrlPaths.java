package dev.llmbudget.wire;

/** The path of a request URL, as endpoints are recognised by it: no query, no fragment, no trailing slash. */
public final class UrlPaths {
    private UrlPaths() {
    }

    public static String pathOf(String url) {
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        int fragment = path.indexOf('#');
        path = fragment < 0 ? path : path.substring(0, fragment);
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
