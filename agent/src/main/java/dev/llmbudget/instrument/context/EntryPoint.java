package dev.llmbudget.instrument.context;

import dev.llmbudget.config.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * One method of {@code task.entry-points}: {@code com.acme.Pipeline#run} (every overload declared by
 * that class) or {@code com.acme.Agent#step(java.lang.String, int[])} (exactly those parameter types).
 * Nested classes are written as the JVM names them, {@code Outer$Inner}. Only the named class's own
 * method bodies are instrumented: not its subclasses, not an interface's implementations.
 *
 * @param className the declaring class, binary name
 * @param methodName the method
 * @param parameterTypes the parameter types as written ({@code int}, {@code java.lang.String[]}), or null for every overload
 */
public record EntryPoint(String className, String methodName, List<String> parameterTypes) {

    /** The run's name: {@code Class#method}. */
    public String runName() {
        return className + "#" + methodName;
    }

    /** The class as the JVM names it internally ({@code com/acme/Pipeline}), as class-load events report it. */
    public String internalClassName() {
        return className.replace('.', '/');
    }

    /**
     * Parses the value of {@code task.entry-points}, already checked against
     * {@link ValueType#ENTRY_POINT}. Plain string work, no regular expressions or
     * lambdas: this runs on the JVM's start path.
     */
    public static List<EntryPoint> parseAll(String value) {
        List<EntryPoint> entryPoints = new ArrayList<>();
        if (value != null) {
            for (String entry : ValueType.splitEntryPoints(value)) {
                if (!entry.isEmpty()) {
                    entryPoints.add(parse(entry));
                }
            }
        }
        return entryPoints;
    }

    /** One {@code Class#method} or {@code Class#method(types)}. */
    public static EntryPoint parse(String entry) {
        int hash = entry.indexOf('#');
        if (hash <= 0) {
            throw new IllegalArgumentException("'" + entry + "' is not Class#method");
        }
        String className = entry.substring(0, hash).trim();
        String method = entry.substring(hash + 1).trim();
        int open = method.indexOf('(');
        if (open < 0) {
            return new EntryPoint(className, method, null);
        }
        int close = method.lastIndexOf(')');
        if (close < open) {
            throw new IllegalArgumentException("'" + entry + "' has no closing parenthesis");
        }
        List<String> types = new ArrayList<>();
        String inside = method.substring(open + 1, close).trim();
        if (!inside.isEmpty()) {
            for (String type : inside.split(",")) {
                types.add(type.replace(" ", "").trim());
            }
        }
        return new EntryPoint(className, method.substring(0, open).trim(), List.copyOf(types));
    }

    @Override
    public String toString() {
        return parameterTypes == null ? runName() : runName() + "(" + String.join(",", parameterTypes) + ")";
    }
}
