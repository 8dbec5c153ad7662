package dev.llmbudget.instrument.openai;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * Reads the OpenAI SDK's HTTP types ({@code com.openai.core.http.HttpRequest}, {@code HttpRequestBody},
 * {@code Headers}, {@code HttpResponse}) by reflection, through their public interfaces. The agent is
 * not compiled against the SDK: its classes may live in a class loader the agent cannot see (a
 * Spring Boot fat jar, an application server), and the SDK's implementation classes are not public.
 * Looked up once per SDK class loader.
 */
final class SdkHttpAccess {
    private static final ClassValue<SdkHttpAccess> BY_REQUEST_CLASS = new ClassValue<>() {
        @Override
        protected SdkHttpAccess computeValue(Class<?> requestClass) {
            try {
                return new SdkHttpAccess(requestClass);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the OpenAI SDK's HTTP classes have changed shape: " + e, e);
            }
        }
    };

    private final Method method;
    private final Method url;
    private final Method headers;
    private final Method headerValues;
    private final Method body;
    private final Method bodyWriteTo;
    private final Method bodyRepeatable;
    final Class<?> responseType;
    private final Method responseStatus;
    private final Method responseBody;

    private SdkHttpAccess(Class<?> requestClass) throws ReflectiveOperationException {
        String pkg = requestClass.getPackageName();
        ClassLoader loader = requestClass.getClassLoader();
        Class<?> bodyType = Class.forName(pkg + ".HttpRequestBody", false, loader);
        Class<?> headersType = Class.forName(pkg + ".Headers", false, loader);
        responseType = Class.forName(pkg + ".HttpResponse", false, loader);
        method = requestClass.getMethod("method");
        url = requestClass.getMethod("url");
        headers = requestClass.getMethod("headers");
        headerValues = headersType.getMethod("values", String.class);
        body = requestClass.getMethod("body");
        bodyWriteTo = bodyType.getMethod("writeTo", java.io.OutputStream.class);
        bodyRepeatable = bodyType.getMethod("repeatable");
        responseStatus = responseType.getMethod("statusCode");
        responseBody = responseType.getMethod("body");
    }

    static SdkHttpAccess forRequest(Object request) {
        return BY_REQUEST_CLASS.get(request.getClass());
    }

    String method(Object request) throws ReflectiveOperationException {
        return String.valueOf(call(method, request));
    }

    String url(Object request) throws ReflectiveOperationException {
        return (String) call(url, request);
    }

    /** The first value of a request header, or null. */
    String header(Object request, String name) throws ReflectiveOperationException {
        Object values = call(headerValues, call(headers, request), name);
        return values instanceof List<?> list && !list.isEmpty() ? String.valueOf(list.get(0)) : null;
    }

    /**
     * The request body's bytes, written to a buffer: JSON bodies of the SDK are repeatable, so the
     * SDK writes them again when it sends them. A one-shot body is not touched (returns null).
     */
    byte[] bodyBytes(Object request) throws ReflectiveOperationException {
        Object requestBody = call(body, request);
        if (requestBody instanceof Optional<?> optional) {
            requestBody = optional.orElse(null);
        }
        if (requestBody == null || !Boolean.TRUE.equals(call(bodyRepeatable, requestBody))) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        call(bodyWriteTo, requestBody, out);
        return out.toByteArray();
    }

    int statusCode(Object response) throws ReflectiveOperationException {
        return (Integer) call(responseStatus, response);
    }

    InputStream responseBody(Object response) throws ReflectiveOperationException {
        return (InputStream) call(responseBody, response);
    }

    private static Object call(Method target, Object receiver, Object... args) throws ReflectiveOperationException {
        try {
            return target.invoke(receiver, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
