package dev.llmbudget.instrument.langchain4j;

import dev.llmbudget.instrument.Reflection;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls LangChain4j's public API by name. The agent is not compiled against LangChain4j: in a Spring
 * Boot fat jar or an application server it lives in a class loader the agent cannot see, and its
 * version is the application's choice. Methods are looked up once per class and name; a method found
 * on a non-public class is replaced by the same method of a public supertype, so that it can be invoked.
 */
final class Reflect {
    private static final ClassValue<Map<String, Optional<Method>>> METHODS = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Method>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Reflect() {
    }

    /** {@code target.name(args)}; fails when the method does not exist. */
    static Object call(Object target, String name, Object... args) {
        Method method = find(target.getClass(), name, args.length);
        if (method == null) {
            throw new IllegalStateException(target.getClass().getName() + " has no public method " + name + " taking "
                    + args.length + " arguments: LangChain4j has changed shape");
        }
        return invoke(method, target, args);
    }

    /** {@code target.name()}, or null when the method does not exist (an optional feature of some versions or providers). */
    static Object callIfPresent(Object target, String name) {
        Method method = target == null ? null : find(target.getClass(), name, 0);
        return method == null ? null : invoke(method, target);
    }

    /** A static {@code type.name()}. */
    static Object callStatic(Class<?> type, String name) {
        Method method = find(type, name, 0);
        if (method == null || !Modifier.isStatic(method.getModifiers())) {
            throw new IllegalStateException(type.getName() + " has no static method " + name);
        }
        return invoke(method, null);
    }

    static boolean has(Class<?> type, String name, int arity) {
        return find(type, name, arity) != null;
    }

    /** Reads an {@code Integer} (LangChain4j's optional counts) as a long, null as 0. */
    static long count(Object value) {
        return value instanceof Number number ? Math.max(0, number.longValue()) : 0;
    }

    private static Method find(Class<?> type, String name, int arity) {
        return METHODS.get(type).computeIfAbsent(name + "/" + arity, key -> Optional.ofNullable(lookup(type, name, arity)))
                .orElse(null);
    }

    /** A public method by name and arity, declared by a public type; a non-bridge one when there are both. */
    private static Method lookup(Class<?> type, String name, int arity) {
        Method found = null;
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arity
                    && (found == null || found.isBridge() && !method.isBridge())) {
                found = method;
            }
        }
        if (found == null || Modifier.isPublic(found.getDeclaringClass().getModifiers())) {
            return found;
        }
        return onPublicSupertype(type, found);
    }

    private static Method onPublicSupertype(Class<?> type, Method method) {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            Method declared = declaredPublicly(current, method);
            if (declared != null) {
                return declared;
            }
            for (Class<?> face : current.getInterfaces()) {
                Method viaInterface = onPublicSupertype(face, method);
                if (viaInterface != null) {
                    return viaInterface;
                }
            }
        }
        return null;
    }

    private static Method declaredPublicly(Class<?> type, Method method) {
        if (!Modifier.isPublic(type.getModifiers())) {
            return null;
        }
        try {
            Method found = type.getMethod(method.getName(), method.getParameterTypes());
            return Modifier.isPublic(found.getDeclaringClass().getModifiers()) ? found : null;
        } catch (NoSuchMethodException notHere) {
            return null;
        }
    }

    /** Like {@link Reflection#invoke}, with a checked failure wrapped: LangChain4j's accessors throw none. */
    private static Object invoke(Method method, Object target, Object... args) {
        try {
            return Reflection.invoke(method, target, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e instanceof InvocationTargetException ? e.getCause() : e);
        }
    }
}
