package dev.llmbudget.ops.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests that check what a scraper
 * reads rather than what the page happens to contain: {@code # HELP} and {@code # TYPE} lines, other comments,
 * samples with labels (escaped quotes, backslashes and newlines in values), values including {@code +Inf},
 * {@code -Inf} and {@code NaN}, and optional timestamps. Anything malformed fails with the line's number:
 * an unknown escape, an unterminated value, a repeated label or sample, a second HELP or TYPE for a name, a TYPE
 * after its metric's samples, the samples of one metric split into two groups, a histogram bucket without
 * {@code le}, trailing text.
 *
 * <p>Public and free of dependencies beyond the JDK: the integration tests reuse it from the agent's test jar.
 */
public final class PrometheusTextParser {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusTextParser() {
    }

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value, Long timestampMillis) {
        /** Whether every pair of {@code pairs} (name, value, name, value, ...) is among this sample's labels. */
        public boolean has(String... pairs) {
            Map<String, String> wanted = pairs(pairs);
            return labels.entrySet().containsAll(wanted.entrySet());
        }
    }

    /** What a scrape held: the samples in order, and the HELP and TYPE of each metric that had them. */
    public record Scrape(List<Sample> samples, Map<String, String> types, Map<String, String> helps) {

        /** The samples named {@code name}, in order. */
        public List<Sample> samples(String name) {
            return samples.stream().filter(sample -> sample.name().equals(name)).toList();
        }

        /** The value of the one sample named {@code name} with exactly these labels (name, value, ...). */
        public double value(String name, String... labelPairs) {
            Map<String, String> labels = pairs(labelPairs);
            return samples(name).stream().filter(sample -> sample.labels().equals(labels)).findFirst()
                    .orElseThrow(() -> new NoSuchElementException("no sample " + name + labels + " in:\n" + describe(name)))
                    .value();
        }

        /** Whether a sample named {@code name} with exactly these labels was scraped. */
        public boolean has(String name, String... labelPairs) {
            Map<String, String> labels = pairs(labelPairs);
            return samples(name).stream().anyMatch(sample -> sample.labels().equals(labels));
        }

        /** The sum of the samples named {@code name} that have these labels among theirs. */
        public double sum(String name, String... labelPairs) {
            return samples(name).stream().filter(sample -> sample.has(labelPairs)).mapToDouble(Sample::value).sum();
        }

        /** The distinct values label {@code label} takes in the samples named {@code name}. */
        public Set<String> labelValues(String name, String label) {
            Set<String> values = new TreeSet<>();
            for (Sample sample : samples(name)) {
                if (sample.labels().containsKey(label)) {
                    values.add(sample.labels().get(label));
                }
            }
            return values;
        }

        /**
         * The cumulative counts of histogram {@code name}'s buckets whose other labels are these, by upper bound
         * ({@code +Inf} last).
         */
        public TreeMap<Double, Double> buckets(String name, String... labelPairs) {
            TreeMap<Double, Double> buckets = new TreeMap<>();
            Map<String, String> labels = pairs(labelPairs);
            for (Sample sample : samples(name + "_bucket")) {
                Map<String, String> others = new HashMap<>(sample.labels());
                String le = others.remove("le");
                if (others.equals(labels)) {
                    buckets.put(parseValue(le), sample.value());
                }
            }
            return buckets;
        }

        private String describe(String name) {
            StringBuilder text = new StringBuilder();
            for (Sample sample : samples) {
                if (sample.name().startsWith(name)) {
                    text.append("  ").append(sample).append('\n');
                }
            }
            return text.length() == 0 ? "  (no sample of that name)" : text.toString();
        }
    }

    /** Parses a whole scrape; throws {@link IllegalArgumentException} naming the first malformed line. */
    public static Scrape parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        Set<String> seenSamples = new HashSet<>();
        Set<String> familiesWithSamples = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) {
            count--; // the newline that ends the last line
        }
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            int number = i + 1;
            try {
                if (line.isBlank()) {
                    continue;
                }
                String trimmed = stripLeading(line);
                if (trimmed.startsWith("#")) {
                    String[] tokens = trimmed.substring(1).stripLeading().split("[ \t]+", 3);
                    if (tokens[0].equals("HELP") || tokens[0].equals("TYPE")) {
                        if (tokens.length < 2 || !METRIC_NAME.matcher(tokens[1]).matches()) {
                            throw new IllegalArgumentException("a " + tokens[0] + " line needs a metric name");
                        }
                        String name = tokens[1];
                        if (tokens[0].equals("HELP")) {
                            if (helps.containsKey(name)) {
                                throw new IllegalArgumentException("a second HELP for " + name);
                            }
                            helps.put(name, tokens.length > 2 ? unescapeHelp(tokens[2]) : "");
                        } else {
                            String type = tokens.length > 2 ? tokens[2].strip() : "";
                            if (!TYPES.contains(type)) {
                                throw new IllegalArgumentException("unknown type '" + type + "'");
                            }
                            if (types.containsKey(name)) {
                                throw new IllegalArgumentException("a second TYPE for " + name);
                            }
                            if (familiesWithSamples.contains(name) || familiesWithSamples.contains(name + "_bucket")
                                    || familiesWithSamples.contains(name + "_sum") || familiesWithSamples.contains(name + "_count")) {
                                throw new IllegalArgumentException("TYPE for " + name + " after its samples");
                            }
                            types.put(name, type);
                        }
                    }
                    continue; // any other comment
                }
                Sample sample = parseSample(trimmed);
                String family = familyOf(sample.name(), types);
                if (!family.equals(currentFamily)) {
                    if (closedFamilies.contains(family)) {
                        throw new IllegalArgumentException("the samples of " + family + " are not in one group");
                    }
                    if (currentFamily != null) {
                        closedFamilies.add(currentFamily);
                    }
                    currentFamily = family;
                }
                familiesWithSamples.add(family);
                familiesWithSamples.add(sample.name());
                if ("histogram".equals(types.get(family)) && sample.name().equals(family + "_bucket")
                        && !sample.labels().containsKey("le")) {
                    throw new IllegalArgumentException("a histogram bucket without le");
                }
                if (sample.labels().containsKey("le")) {
                    parseValue(sample.labels().get("le"));
                }
                if (!seenSamples.add(sample.name() + new TreeMap<>(sample.labels()))) {
                    throw new IllegalArgumentException("a second sample " + sample.name() + sample.labels());
                }
                samples.add(sample);
            } catch (IllegalArgumentException malformed) {
                throw new IllegalArgumentException("line " + number + ": " + malformed.getMessage() + ": " + line, malformed);
            }
        }
        return new Scrape(List.copyOf(samples), Collections.unmodifiableMap(types), Collections.unmodifiableMap(helps));
    }

    /** The metric a sample belongs to: a histogram's or summary's name for its suffixed series, else its own. */
    private static String familyOf(String name, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count", "_created")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        return name;
    }

    private static Sample parseSample(String line) {
        Cursor at = new Cursor(line);
        String name = at.take(METRIC_NAME, "a metric name");
        Map<String, String> labels = new LinkedHashMap<>();
        if (at.peek() == '{') {
            at.next();
            at.skipBlanks();
            while (at.peek() != '}') {
                String label = at.take(LABEL_NAME, "a label name");
                at.skipBlanks();
                at.expect('=');
                at.skipBlanks();
                String value = at.quoted();
                if (labels.put(label, value) != null) {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
                at.skipBlanks();
                if (at.peek() == ',') {
                    at.next();
                    at.skipBlanks();
                } else if (at.peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at column " + (at.position + 1));
                }
            }
            at.next();
        }
        if (!at.skipBlanks()) {
            throw new IllegalArgumentException("expected a blank and a value at column " + (at.position + 1));
        }
        double value = parseValue(at.token());
        Long timestamp = null;
        if (at.skipBlanks() && !at.atEnd()) {
            String stamp = at.token();
            if (!TIMESTAMP.matcher(stamp).matches()) {
                throw new IllegalArgumentException("not a timestamp: '" + stamp + "'");
            }
            timestamp = Long.parseLong(stamp);
            at.skipBlanks();
        }
        if (!at.atEnd()) {
            throw new IllegalArgumentException("unexpected text at column " + (at.position + 1));
        }
        return new Sample(name, Collections.unmodifiableMap(labels), value, timestamp);
    }

    /** A sample value or {@code le}: a decimal or exponent number, {@code [+-]Inf} or {@code NaN}. */
    static double parseValue(String text) {
        switch (text) {
            case "+Inf", "Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "NaN" -> {
                return Double.NaN;
            }
            default -> {
                if (!NUMBER.matcher(text).matches()) {
                    throw new IllegalArgumentException("not a value: '" + text + "'");
                }
                return Double.parseDouble(text);
            }
        }
    }

    private static String unescapeHelp(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == text.length()) {
                throw new IllegalArgumentException("a HELP text ends in a lone backslash");
            }
            char escaped = text.charAt(i);
            if (escaped == '\\') {
                out.append('\\');
            } else if (escaped == 'n') {
                out.append('\n');
            } else {
                throw new IllegalArgumentException("unknown escape \\" + escaped + " in a HELP text");
            }
        }
        return out.toString();
    }

    private static Map<String, String> pairs(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("label pairs come as name, value: " + List.of(pairs));
        }
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            labels.put(pairs[i], pairs[i + 1]);
        }
        return labels;
    }

    private static String stripLeading(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return line.substring(i);
    }

    /** A position in one sample line. */
    private static final class Cursor {
        private final String line;
        private int position;

        Cursor(String line) {
            this.line = line;
        }

        boolean atEnd() {
            return position >= line.length();
        }

        char peek() {
            if (atEnd()) {
                throw new IllegalArgumentException("the line ends too early");
            }
            return line.charAt(position);
        }

        void next() {
            position++;
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at column " + (position + 1));
            }
            position++;
        }

        /** Skips blanks; whether there were any. */
        boolean skipBlanks() {
            int start = position;
            while (!atEnd() && (line.charAt(position) == ' ' || line.charAt(position) == '\t')) {
                position++;
            }
            return position > start;
        }

        /** The characters up to the next blank or the end. */
        String token() {
            int start = position;
            while (!atEnd() && line.charAt(position) != ' ' && line.charAt(position) != '\t') {
                position++;
            }
            if (start == position) {
                throw new IllegalArgumentException("expected a value at column " + (position + 1));
            }
            return line.substring(start, position);
        }

        String take(Pattern pattern, String what) {
            java.util.regex.Matcher matcher = pattern.matcher(line).region(position, line.length());
            if (!matcher.lookingAt()) {
                throw new IllegalArgumentException("expected " + what + " at column " + (position + 1));
            }
            position = matcher.end();
            return matcher.group();
        }

        /** A double-quoted label value, unescaped: {@code \\}, {@code \"} and {@code \n}. */
        String quoted() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw new IllegalArgumentException("a label value is not closed");
                }
                char c = line.charAt(position++);
                if (c == '"') {
                    return value.toString();
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                if (atEnd()) {
                    throw new IllegalArgumentException("a label value ends in a lone backslash");
                }
                char escaped = line.charAt(position++);
                switch (escaped) {
                    case '\\' -> value.append('\\');
                    case '"' -> value.append('"');
                    case 'n' -> value.append('\n');
                    default -> throw new IllegalArgumentException("unknown escape \\" + escaped + " in a label value");
                }
            }
        }
    }
}
