package dev.llmbudget.instrument.stainless;

import java.lang.reflect.Field;
import java.util.Optional;

/**
 * The API key a generated SDK client adds below its {@code RetryingHttpClient}: the Anthropic SDK sets
 * {@code x-api-key} in an inner {@code HeaderAuthHttpClient} decorator, so the request the agent sees
 * does not carry it yet. Followed down the decorators' {@code httpClient} fields, read only to
 * fingerprint it; never logged.
 */
final class ClientCredential {
    private static final int MAX_DECORATORS = 12;
    private static final ClassValue<Optional<Field>> FIELD = new ClassValue<>() {
        @Override
        protected Optional<Field> computeValue(Class<?> type) {
            return declared(type, type.getSimpleName().equals("HeaderAuthHttpClient") ? "credential" : "httpClient");
        }
    };

    private ClientCredential() {
    }

    /** The credential below {@code client}, or null when there is none the agent can find. */
    static String below(Object client) {
        Object current = client;
        for (int depth = 0; current != null && depth < MAX_DECORATORS; depth++) {
            Optional<Field> field = FIELD.get(current.getClass());
            if (field.isEmpty()) {
                return null;
            }
            Object value = read(field.get(), current);
            if (current.getClass().getSimpleName().equals("HeaderAuthHttpClient")) {
                return value instanceof String credential ? credential : null;
            }
            current = value;
        }
        return null;
    }

    private static Optional<Field> declared(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return Optional.of(field);
        } catch (ReflectiveOperationException | RuntimeException notThere) {
            return Optional.empty();
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            return null;
        }
    }
}
