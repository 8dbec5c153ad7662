package dev.llmbudget.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts whose HTTP traffic is LLM API calls, for the layers that see raw HTTP (the JDK's
 * {@code HttpClient}, OkHttp). A pattern is a host name, optionally with a {@code :port}, and may start
 * with {@code *.} to match any subdomain (Azure's {@code <resource>.openai.azure.com}). Calls to other
 * hosts pass untouched: the agent never parses an application's unrelated traffic.
 */
public final class ProviderHosts {
    /** The public LLM APIs guarded out of the box ({@code providers.hosts.include-defaults}). */
    public static final List<String> DEFAULTS = List.of("api.openai.com", "api.anthropic.com",
            "generativelanguage.googleapis.com", "*.openai.azure.com", "api.mistral.ai", "api.groq.com",
            "api.deepseek.com", "openrouter.ai", "api.together.xyz", "api.fireworks.ai");

    private final List<Pattern> patterns;

    private ProviderHosts(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    public static ProviderHosts defaults() {
        return of(DEFAULTS);
    }

    /** @throws IllegalArgumentException for an entry that is not {@code [*.]host[:port]} */
    public static ProviderHosts of(List<String> entries) {
        List<Pattern> patterns = new ArrayList<>();
        for (String entry : entries) {
            patterns.add(Pattern.parse(entry));
        }
        return new ProviderHosts(patterns);
    }

    /** Null when {@code entry} is a valid pattern, else why not (for configuration errors). */
    public static String problemWith(String entry) {
        try {
            Pattern.parse(entry);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** @param port the request's port, or -1 for the scheme's default */
    public boolean matches(String host, int port) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        for (Pattern pattern : patterns) {
            if (pattern.matches(name, port)) {
                return true;
            }
        }
        return false;
    }

    private record Pattern(String host, boolean anySubdomain, int port) {
        static Pattern parse(String raw) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            int port = -1;
            int colon = entry.lastIndexOf(':');
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(entry.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + raw.trim() + "' has a port that is not a number");
                }
                if (port < 1 || port > 65_535) {
                    throw new IllegalArgumentException("'" + raw.trim() + "' has a port outside 1-65535");
                }
                entry = entry.substring(0, colon);
            }
            boolean anySubdomain = entry.startsWith("*.");
            String host = anySubdomain ? entry.substring(2) : entry;
            if (!isHostName(host)) {
                throw new IllegalArgumentException("'" + raw.trim() + "' is not a host name, *.domain or host:port");
            }
            return new Pattern(host, anySubdomain, port);
        }

        /** Dot-separated labels of letters, digits and inner hyphens (no regex: this runs at the JVM's start). */
        private static boolean isHostName(String host) {
            if (host.isEmpty() || host.startsWith(".") || host.endsWith(".") || host.contains("..")) {
                return false;
            }
            for (String label : host.split("\\.")) {
                if (label.startsWith("-") || label.endsWith("-")) {
                    return false;
                }
                for (int i = 0; i < label.length(); i++) {
                    char c = label.charAt(i);
                    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                        return false;
                    }
                }
            }
            return true;
        }

        boolean matches(String name, int requestPort) {
            boolean hostMatches = anySubdomain ? name.endsWith("." + host) : name.equals(host);
            return hostMatches && (port < 0 || port == requestPort);
        }
    }
}
