package dev.llmbudget.config;

import dev.llmbudget.wire.KeyFingerprint;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Configuration values made safe to print: the password of a URL ({@code redis://user:***@host}, a lone
 * user-info as {@code ***}, since Redis reads it as the password), its query values and path segments
 * that look like tokens (a Slack or Discord webhook's secret is its path), and anything shaped like an
 * API key, shown as its fingerprint ({@code sk-…abcd#3f9a}).
 */
public final class SecretMask {
    static final String MASK = "***";
    /** Prefixes API keys and tokens are issued with (OpenAI, Anthropic, Stripe-style, Slack, GitHub, Google). */
    private static final Pattern KEY_PREFIX = Pattern.compile("(?i)(sk|pk|rk)[-_]\\S{8,}|xox[abprs]-\\S+|gh[pousr]_\\S+|github_pat_\\S+|AIza\\S+");
    /**
     * A long run of letters and digits with both present: the shape of a token, not of a word, a number, a
     * path or a class name (no dots, slashes or colons).
     */
    private static final Pattern TOKEN = Pattern.compile("(?=.*[A-Za-z])(?=.*\\d)[A-Za-z0-9_-]{24,}");
    private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://.*");

    private SecretMask() {
    }

    public static String mask(String value) {
        String trimmed = value.trim();
        if (SCHEME.matcher(trimmed).matches()) {
            return url(trimmed);
        }
        return looksLikeKey(trimmed) ? KeyFingerprint.ofHeader(trimmed) : value;
    }

    private static boolean looksLikeKey(String text) {
        return text.regionMatches(true, 0, "bearer ", 0, 7) || KEY_PREFIX.matcher(text).matches() || TOKEN.matcher(text).matches();
    }

    private static String url(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // unparsable: keep what cannot be a credential, the scheme
            return text.substring(0, text.indexOf("://") + 3) + MASK;
        }
        StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
        String userInfo = uri.getRawUserInfo();
        String hostAndPort = null;
        if (uri.getHost() == null && uri.getRawAuthority() != null) {
            // not host:port (a bad port, say): java.net.URI keeps it whole as the authority, user-info included
            String authority = uri.getRawAuthority();
            int at = authority.lastIndexOf('@');
            userInfo = at < 0 ? null : authority.substring(0, at);
            hostAndPort = authority.substring(at + 1);
        }
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            out.append(colon < 0 ? MASK : userInfo.substring(0, colon + 1) + MASK).append('@');
        }
        if (hostAndPort != null) {
            out.append(hostAndPort);
        } else if (uri.getHost() != null) {
            out.append(uri.getHost());
        }
        if (hostAndPort == null && uri.getPort() >= 0) {
            out.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            String[] segments = uri.getRawPath().split("/", -1);
            for (int i = 0; i < segments.length; i++) {
                out.append(i == 0 ? "" : "/").append(looksLikeKey(segments[i]) ? MASK : segments[i]);
            }
        }
        if (uri.getRawQuery() != null) {
            out.append('?').append(uri.getRawQuery().replaceAll("=[^&]*", "=" + MASK));
        }
        return out.toString();
    }
}
