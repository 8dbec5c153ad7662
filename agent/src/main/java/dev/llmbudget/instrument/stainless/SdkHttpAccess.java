package dev.llmbudget.instrument.stainless;

import static dev.llmbudget.instrument.Reflection.invoke;

import dev.llmbudget.instrument.Reflection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Stainless SDK's HTTP types ({@code com.openai.core.http.HttpRequest}, {@code HttpRequestBody},
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

    private final SdkProtocol protocol;
    private final Method method;
    private final Method url;
    private final Method headers;
    private final Method headerValues;
    private final Method body;
    private final Method bodyWriteTo;
    private final Method bodyRepeatable;
    private final Method bodyContentType;
    private final Method bodyClose;
    private final Class<?> bodyType;
    private final Method toBuilder;
    private final Method builderBody;
    private final Method builderBuild;
    final Class<?> responseType;
    private final Method responseStatus;
    private final Method responseBody;

    private SdkHttpAccess(Class<?> requestClass) throws ReflectiveOperationException {
        protocol = SdkProtocols.forRequestClass(requestClass.getName());
        String pkg = requestClass.getPackageName();
        ClassLoader loader = requestClass.getClassLoader();
        bodyType = Class.forName(pkg + ".HttpRequestBody", false, loader);
        Class<?> headersType = Class.forName(pkg + ".Headers", false, loader);
        responseType = Class.forName(pkg + ".HttpResponse", false, loader);
        method = requestClass.getMethod("method");
        url = requestClass.getMethod("url");
        headers = requestClass.getMethod("headers");
        headerValues = headersType.getMethod("values", String.class);
        body = requestClass.getMethod("body");
        bodyWriteTo = bodyType.getMethod("writeTo", java.io.OutputStream.class);
        bodyRepeatable = bodyType.getMethod("repeatable");
        bodyContentType = bodyType.getMethod("contentType");
        bodyClose = bodyType.getMethod("close");
        toBuilder = requestClass.getMethod("toBuilder");
        builderBody = toBuilder.getReturnType().getMethod("body", bodyType);
        builderBuild = toBuilder.getReturnType().getMethod("build");
        responseStatus = responseType.getMethod("statusCode");
        responseBody = responseType.getMethod("body");
    }

    /** The SDK this request class belongs to, or null when it is none the agent knows. */
    SdkProtocol protocol() {
        return protocol;
    }

    static SdkHttpAccess forRequest(Object request) {
        return BY_REQUEST_CLASS.get(request.getClass());
    }

    String method(Object request) throws ReflectiveOperationException {
        return String.valueOf(invoke(method, request));
    }

    String url(Object request) throws ReflectiveOperationException {
        return (String) invoke(url, request);
    }

    /** The first value of a request header, or null. */
    String header(Object request, String name) throws ReflectiveOperationException {
        Object values = invoke(headerValues, invoke(headers, request), name);
        return values instanceof List<?> list && !list.isEmpty() ? String.valueOf(list.get(0)) : null;
    }

    /**
     * The request body's bytes, written to a buffer: JSON bodies of the SDK are repeatable, so the
     * SDK writes them again when it sends them. A one-shot body is not touched (returns null).
     */
    byte[] bodyBytes(Object request) throws ReflectiveOperationException {
        Object requestBody = requestBody(request);
        if (requestBody == null || !Boolean.TRUE.equals(invoke(bodyRepeatable, requestBody))) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        invoke(bodyWriteTo, requestBody, out);
        return out.toByteArray();
    }

    /**
     * The same request with its body replaced by {@code bytes}, the body already written once for the
     * pre-flight: the SDK sends (and, on a retry, re-sends) those bytes instead of serializing the
     * request again, which would cost as much as the rest of the pre-flight together.
     */
    Object withBodyBytes(Object request, byte[] bytes) throws ReflectiveOperationException {
        Object original = requestBody(request);
        String contentType = (String) invoke(bodyContentType, original);
        Object replacement = Proxy.newProxyInstance(bodyType.getClassLoader(), new Class<?>[] {bodyType},
                new BytesBody(bytes, contentType, original, bodyClose));
        Object builder = invoke(toBuilder, request);
        invoke(builderBody, builder, replacement);
        return invoke(builderBuild, builder);
    }

    private Object requestBody(Object request) throws ReflectiveOperationException {
        Object requestBody = invoke(body, request);
        return requestBody instanceof Optional<?> optional ? optional.orElse(null) : requestBody;
    }

    /** An {@code HttpRequestBody} of bytes already written; closing it closes the body it replaces. */
    private static final class BytesBody implements InvocationHandler {
        private final byte[] bytes;
        private final String contentType;
        private final Object original;
        private final Method originalClose;

        BytesBody(byte[] bytes, String contentType, Object original, Method originalClose) {
            this.bytes = bytes;
            this.contentType = contentType;
            this.original = original;
            this.originalClose = originalClose;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "writeTo" -> {
                    ((OutputStream) args[0]).write(bytes);
                    return null;
                }
                case "content" -> {
                    return new ByteArrayInputStream(bytes);
                }
                case "contentType" -> {
                    return contentType;
                }
                case "contentLength" -> {
                    return (long) bytes.length;
                }
                case "repeatable" -> {
                    return true;
                }
                case "close" -> {
                    Reflection.invoke(originalClose, original);
                    return null;
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "toString" -> {
                    return "HttpRequestBody(" + bytes.length + " bytes, " + contentType + ", written once by llm-budget-agent)";
                }
                default -> throw new UnsupportedOperationException(method.toString());
            }
        }
    }

    int statusCode(Object response) throws ReflectiveOperationException {
        return (Integer) invoke(responseStatus, response);
    }

    InputStream responseBody(Object response) throws ReflectiveOperationException {
        return (InputStream) invoke(responseBody, response);
    }
}
