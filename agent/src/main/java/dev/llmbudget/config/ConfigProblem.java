package dev.llmbudget.config;

/**
 * One thing wrong with the configuration.
 *
 * @param key the key concerned
 * @param value its value as given, or null when the problem is that it is missing
 * @param origin where the value came from
 * @param message what is wrong and what is expected
 */
public record ConfigProblem(String key, String value, String origin, String message) {
}
