package dev.llmbudget.instrument.langchain4j;

import dev.llmbudget.wire.KeyFingerprint;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Optional;

/**
 * The fingerprint of the API key a LangChain4j model sends, for the ledger. The provider modules keep
 * it in their internal client ({@code client}): Anthropic's as {@code apiKey}, OpenAI's in the
 * {@code Authorization} header of {@code defaultHeaders}. Best effort: a field that is not there or
 * cannot be opened (a named module) gives none. The key is read only to fingerprint it; never logged.
 */
final class ModelCredential {
    private static final ClassValue<Optional<Field>> CLIENT = fieldNamed("client");
    private static final ClassValue<Optional<Field>> API_KEY = fieldNamed("apiKey");
    private static final ClassValue<Optional<Field>> HEADERS = fieldNamed("defaultHeaders");
    private static final String[] KEY_HEADERS = {"Authorization", "api-key", "x-api-key"};

    private ModelCredential() {
    }

    /** The key's fingerprint, or null. */
    static String fingerprintOf(Object model) {
        try {
            Object client = read(CLIENT, model);
            if (read(API_KEY, client) instanceof String key && !key.isBlank()) {
                return KeyFingerprint.of(key.trim());
            }
            if (read(HEADERS, client) instanceof Map<?, ?> headers) {
                for (String header : KEY_HEADERS) {
                    if (headers.get(header) instanceof String value) {
                        return KeyFingerprint.ofHeader(value);
                    }
                }
            }
        } catch (RuntimeException unreadable) {
            // the ledger shows no key for such calls; the guard does not depend on it
        }
        return null;
    }

    private static Object read(ClassValue<Optional<Field>> field, Object owner) {
        if (owner == null) {
            return null;
        }
        Optional<Field> found = field.get(owner.getClass());
        if (found.isEmpty()) {
            return null;
        }
        try {
            return found.get().get(owner);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    /** The first field of that name up the class hierarchy, opened; empty when there is none or it cannot be opened. */
    private static ClassValue<Optional<Field>> fieldNamed(String name) {
        return new ClassValue<>() {
            @Override
            protected Optional<Field> computeValue(Class<?> type) {
                for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
                    try {
                        Field field = current.getDeclaredField(name);
                        field.setAccessible(true);
                        return Optional.of(field);
                    } catch (NoSuchFieldException notHere) {
                        // look in the superclass
                    } catch (RuntimeException closed) {
                        return Optional.empty();
                    }
                }
                return Optional.empty();
            }
        };
    }
}
