package dev.llmbudget.config;

import dev.llmbudget.pricing.Money;
import dev.llmbudget.wire.ProviderHosts;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/** The kinds of value a configuration key takes, each with the check and the words that say what is expected. */
public enum ValueType {
    TEXT("text"),
    PATH("a file path (relative paths resolve against the configuration file's folder)"),
    USD("a decimal amount in USD, e.g. 25.00"),
    USD_PER_MTOK("a price in USD per million tokens, e.g. 2.50"),
    COUNT("a whole number greater than zero"),
    BOOLEAN("true or false"),
    CHOICE("one of"),
    ZONE("a time zone id, e.g. UTC or Europe/Berlin"),
    GLOB("comma-separated model name globs, e.g. gpt-4o*,o3*"),
    HOSTS("comma-separated host names, *.domain or host:port, e.g. llm-gateway.internal:8443,*.example.com"),
    DURATION(dev.llmbudget.core.Durations.FORMS),
    WINDOW(dev.llmbudget.core.BudgetWindow.FORMS),
    ENTRY_POINTS("comma-separated methods as Class#method or Class#method(param types), e.g. com.acme.Pipeline#run,com.acme.Agent#step(java.lang.String)"),
    REDIS_URL("a Redis URL: redis://[user:password@]host:port[/db], or rediss:// for TLS"),
    HTTP_URL("an http:// or https:// URL"),
    PORT("a TCP port, 1 to 65535"),
    FRACTIONS("comma-separated fractions of the limit, each above 0 and at most 1, e.g. 0.5,0.8,0.95");

    private static final String JAVA_NAME = "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*";
    private static final String TYPE_NAME = JAVA_NAME + "(\\." + JAVA_NAME + ")*(\\[\\])*";
    /** {@code pkg.Class#method} or {@code pkg.Class#method(type, type[])}; nested classes as {@code Outer$Inner}. */
    public static final java.util.regex.Pattern ENTRY_POINT = java.util.regex.Pattern.compile(
            JAVA_NAME + "(\\." + JAVA_NAME + ")*#" + JAVA_NAME + "(\\(\\s*(" + TYPE_NAME + "(\\s*,\\s*" + TYPE_NAME + ")*)?\\s*\\))?");

    private final String expected;

    /**
     * The entries of a {@code task.entry-points} value, trimmed: split at the commas between methods,
     * not at those between one method's parameter types. Plain string work (it runs at JVM start).
     */
    public static java.util.List<String> splitEntryPoints(String value) {
        java.util.List<String> entries = new java.util.ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : ',';
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth <= 0) {
                entries.add(value.substring(start, i).trim());
                start = i + 1;
            }
        }
        return entries;
    }

    ValueType(String expected) {
        this.expected = expected;
    }

    /** What a valid value looks like, for error messages and the README table. */
    public String expected(List<String> choices) {
        return this == CHOICE ? "one of " + String.join(", ", choices) : expected;
    }

    /** Null when {@code raw} is valid, else why not. */
    public String problemWith(String raw, List<String> choices) {
        String value = raw.trim();
        switch (this) {
            case USD, USD_PER_MTOK -> {
                try {
                    Money.parseUsd(value);
                    return null;
                } catch (NumberFormatException e) {
                    return e.getMessage();
                }
            }
            case COUNT -> {
                try {
                    return Long.parseLong(value) > 0 ? null : "must be greater than zero";
                } catch (NumberFormatException e) {
                    return "not a whole number";
                }
            }
            case BOOLEAN -> {
                String lower = value.toLowerCase(Locale.ROOT);
                return lower.equals("true") || lower.equals("false") ? null : "neither true nor false";
            }
            case CHOICE -> {
                return choices.contains(value.toLowerCase(Locale.ROOT)) ? null : "not a known choice";
            }
            case ZONE -> {
                try {
                    ZoneId.of(value);
                    return null;
                } catch (DateTimeException e) {
                    return "not a known time zone";
                }
            }
            case HOSTS -> {
                for (String entry : value.split(",")) {
                    String problem = ProviderHosts.problemWith(entry);
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            case DURATION -> {
                try {
                    dev.llmbudget.core.Durations.parse(value);
                    return null;
                } catch (IllegalArgumentException e) {
                    return "not a duration";
                }
            }
            case WINDOW -> {
                try {
                    dev.llmbudget.core.BudgetWindow.parse(value, java.time.ZoneOffset.UTC);
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage().startsWith("not a window") ? "not a window" : e.getMessage();
                }
            }
            case REDIS_URL -> {
                try {
                    java.net.URI uri = new java.net.URI(value);
                    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                        return "the scheme must be redis or rediss";
                    }
                    return uri.getHost() == null ? "no host" : null;
                } catch (java.net.URISyntaxException e) {
                    return "not a URL";
                }
            }
            case HTTP_URL -> {
                try {
                    java.net.URI uri = new java.net.URI(value);
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                        return "the scheme must be http or https";
                    }
                    return uri.getHost() == null ? "no host" : null;
                } catch (java.net.URISyntaxException e) {
                    return "not a URL";
                }
            }
            case PORT -> {
                try {
                    int port = Integer.parseInt(value);
                    return port >= 1 && port <= 65535 ? null : "not between 1 and 65535";
                } catch (NumberFormatException e) {
                    return "not a whole number";
                }
            }
            case FRACTIONS -> {
                try {
                    for (String entry : value.split(",")) {
                        java.math.BigDecimal fraction = new java.math.BigDecimal(entry.trim());
                        if (fraction.signum() <= 0 || fraction.compareTo(java.math.BigDecimal.ONE) > 0) {
                            return "'" + entry.trim() + "' is not above 0 and at most 1";
                        }
                    }
                    return null;
                } catch (NumberFormatException e) {
                    return "not a list of decimal fractions";
                }
            }
            case ENTRY_POINTS -> {
                for (String entry : splitEntryPoints(value)) {
                    if (!ENTRY_POINT.matcher(entry).matches()) {
                        return "'" + entry + "' is not Class#method or Class#method(param types)";
                    }
                }
                return null;
            }
            case TEXT, PATH, GLOB -> {
                return value.isEmpty() ? "empty" : null;
            }
            default -> throw new IllegalStateException(name());
        }
    }
}
