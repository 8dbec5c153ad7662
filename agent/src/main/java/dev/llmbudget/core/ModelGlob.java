package dev.llmbudget.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which models a budget applies to ({@code budget.<name>.match.model}): a comma-separated list of
 * case-insensitive globs where {@code *} matches any run of characters and {@code ?} one character,
 * e.g. {@code gpt-4o*,o3*}. An absent glob matches every model.
 */
public final class ModelGlob {
    public static final ModelGlob ANY = new ModelGlob("*", List.of());

    private final String text;
    private final List<Pattern> patterns;

    private ModelGlob(String text, List<Pattern> patterns) {
        this.text = text;
        this.patterns = patterns;
    }

    public static ModelGlob parse(String text) {
        List<Pattern> patterns = new ArrayList<>();
        for (String part : text.split(",")) {
            String glob = part.trim();
            if (glob.isEmpty()) {
                continue;
            }
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
                if (c == '*') {
                    regex.append(".*");
                } else if (c == '?') {
                    regex.append('.');
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            patterns.add(Pattern.compile(regex.toString()));
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("an empty model glob");
        }
        return new ModelGlob(text.trim(), List.copyOf(patterns));
    }

    public boolean matches(String model) {
        if (patterns.isEmpty()) {
            return true;
        }
        String name = model == null ? "" : model.toLowerCase(Locale.ROOT);
        for (Pattern pattern : patterns) {
            if (pattern.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
