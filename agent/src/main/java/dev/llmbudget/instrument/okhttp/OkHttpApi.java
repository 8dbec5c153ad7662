package dev.llmbudget.instrument.okhttp;

import static dev.llmbudget.instrument.Reflection.invoke;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The part of OkHttp's (and Okio's) public API the agent uses, looked up once per OkHttp class loader
 * by reflection: the agent is not compiled against OkHttp, which may live in a class loader the agent
 * cannot see (a Spring Boot fat jar, an application server). Methods are taken from the public
 * declared types, never from runtime classes: a request or response body is usually an instance of
 * a private class, on which reflection would be refused. The same signatures exist in 4.12 and 5.x.
 */
final class OkHttpApi {
    final Class<?> interceptorType;
    private final Method builderInterceptors;
    private final Method chainRequest;
    private final Method chainProceed;
    private final Method chainCall;
    private final Method requestMethod;
    private final Method requestUrl;
    private final Method requestHeader;
    private final Method requestBody;
    private final Method requestNewBuilder;
    private final Method requestBuilderMethod;
    private final Method requestBuilderBuild;
    private final Method urlHost;
    private final Method urlPort;
    private final Method requestBodyContentType;
    private final Method requestBodyWriteTo;
    private final Method requestBodyIsOneShot;
    private final Method requestBodyIsDuplex;
    private final Method requestBodyOfBytes;
    private final Constructor<?> newBuffer;
    private final Method bufferReadByteArray;
    private final Method responseCode;
    private final Method responseBody;
    private final Method responseNewBuilder;
    private final Method responseBuilderBody;
    private final Method responseBuilderBuild;
    private final Method responseBodyByteStream;
    private final Method responseBodyContentType;
    private final Method responseBodyContentLength;
    private final Method responseBodyOfSource;
    private final Method okioSourceOfStream;
    private final Method okioBuffer;

    /** @param loader the class loader that defined OkHttp's classes */
    OkHttpApi(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> builder = type("okhttp3.OkHttpClient$Builder", loader);
        interceptorType = type("okhttp3.Interceptor", loader);
        Class<?> chain = type("okhttp3.Interceptor$Chain", loader);
        Class<?> request = type("okhttp3.Request", loader);
        Class<?> requestBuilder = type("okhttp3.Request$Builder", loader);
        Class<?> httpUrl = type("okhttp3.HttpUrl", loader);
        Class<?> mediaType = type("okhttp3.MediaType", loader);
        Class<?> body = type("okhttp3.RequestBody", loader);
        Class<?> response = type("okhttp3.Response", loader);
        Class<?> responseBuilder = type("okhttp3.Response$Builder", loader);
        Class<?> responseBodyType = type("okhttp3.ResponseBody", loader);
        Class<?> buffer = type("okio.Buffer", loader);
        Class<?> bufferedSink = type("okio.BufferedSink", loader);
        Class<?> bufferedSource = type("okio.BufferedSource", loader);
        Class<?> source = type("okio.Source", loader);
        Class<?> okio = type("okio.Okio", loader);

        builderInterceptors = builder.getMethod("interceptors");
        chainRequest = chain.getMethod("request");
        chainProceed = chain.getMethod("proceed", request);
        chainCall = chain.getMethod("call");
        requestMethod = request.getMethod("method");
        requestUrl = request.getMethod("url");
        requestHeader = request.getMethod("header", String.class);
        requestBody = request.getMethod("body");
        requestNewBuilder = request.getMethod("newBuilder");
        requestBuilderMethod = requestBuilder.getMethod("method", String.class, body);
        requestBuilderBuild = requestBuilder.getMethod("build");
        urlHost = httpUrl.getMethod("host");
        urlPort = httpUrl.getMethod("port");
        requestBodyContentType = body.getMethod("contentType");
        requestBodyWriteTo = body.getMethod("writeTo", bufferedSink);
        requestBodyIsOneShot = body.getMethod("isOneShot");
        requestBodyIsDuplex = body.getMethod("isDuplex");
        requestBodyOfBytes = body.getMethod("create", byte[].class, mediaType, int.class, int.class);
        newBuffer = buffer.getConstructor();
        bufferReadByteArray = buffer.getMethod("readByteArray");
        responseCode = response.getMethod("code");
        responseBody = response.getMethod("body");
        responseNewBuilder = response.getMethod("newBuilder");
        responseBuilderBody = responseBuilder.getMethod("body", responseBodyType);
        responseBuilderBuild = responseBuilder.getMethod("build");
        responseBodyByteStream = responseBodyType.getMethod("byteStream");
        responseBodyContentType = responseBodyType.getMethod("contentType");
        responseBodyContentLength = responseBodyType.getMethod("contentLength");
        responseBodyOfSource = responseBodyType.getMethod("create", bufferedSource, mediaType, long.class);
        okioSourceOfStream = okio.getMethod("source", InputStream.class);
        okioBuffer = okio.getMethod("buffer", source);
    }

    private static Class<?> type(String name, ClassLoader loader) throws ClassNotFoundException {
        return Class.forName(name, false, loader);
    }

    /** The builder's application interceptors: OkHttp hands out its mutable list. */
    @SuppressWarnings("unchecked")
    List<Object> interceptors(Object builder) throws ReflectiveOperationException {
        return (List<Object>) invoke(builderInterceptors, builder);
    }

    Object request(Object chain) throws ReflectiveOperationException {
        return invoke(chainRequest, chain);
    }

    /** The call the chain belongs to: the same {@code RealCall} that {@code enqueue} was called on. */
    Object owningCall(Object chain) throws ReflectiveOperationException {
        return invoke(chainCall, chain);
    }

    /** Lets the request continue down the chain; whatever OkHttp throws is thrown unchanged. */
    Object proceed(Object chain, Object request) throws Throwable {
        try {
            return chainProceed.invoke(chain, request);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    String method(Object request) throws ReflectiveOperationException {
        return (String) invoke(requestMethod, request);
    }

    Object url(Object request) throws ReflectiveOperationException {
        return invoke(requestUrl, request);
    }

    String host(Object url) throws ReflectiveOperationException {
        return (String) invoke(urlHost, url);
    }

    /** Always explicit: OkHttp fills in the scheme's default. */
    int port(Object url) throws ReflectiveOperationException {
        return (Integer) invoke(urlPort, url);
    }

    /** The request's (last) value of a header, or null. */
    String header(Object request, String name) throws ReflectiveOperationException {
        return (String) invoke(requestHeader, request, name);
    }

    /**
     * The request body's bytes, written into a buffer as OkHttp would write them to the socket; an
     * absent body is empty. Null when the body is one-shot or duplex: reading it would consume what
     * the application means to send.
     */
    byte[] bodyBytes(Object request) throws ReflectiveOperationException {
        Object body = invoke(requestBody, request);
        if (body == null) {
            return new byte[0];
        }
        if (Boolean.TRUE.equals(invoke(requestBodyIsOneShot, body)) || Boolean.TRUE.equals(invoke(requestBodyIsDuplex, body))) {
            return null;
        }
        Object buffer = newBuffer.newInstance();
        invoke(requestBodyWriteTo, body, buffer);
        return (byte[]) invoke(bufferReadByteArray, buffer);
    }

    /** The same request with {@code bytes} as its body, of the original body's content type. */
    Object withBody(Object request, String method, byte[] bytes) throws ReflectiveOperationException {
        Object original = invoke(requestBody, request);
        Object contentType = original == null ? null : invoke(requestBodyContentType, original);
        Object replacement = invoke(requestBodyOfBytes, null, bytes, contentType, 0, bytes.length);
        Object builder = invoke(requestNewBuilder, request);
        invoke(requestBuilderMethod, builder, method, replacement);
        return invoke(requestBuilderBuild, builder);
    }

    int code(Object response) throws ReflectiveOperationException {
        return (Integer) invoke(responseCode, response);
    }

    /** The response body, or null (OkHttp 4 has none for some responses; 5 gives an empty one). */
    Object body(Object response) throws ReflectiveOperationException {
        return invoke(responseBody, response);
    }

    InputStream byteStream(Object responseBody) throws ReflectiveOperationException {
        return (InputStream) invoke(responseBodyByteStream, responseBody);
    }

    /**
     * The same response, its body read from {@code stream} instead, with the original body's content
     * type and length (an application may size buffers or show progress by them).
     */
    Object withBody(Object response, Object originalBody, InputStream stream) throws ReflectiveOperationException {
        Object contentType = invoke(responseBodyContentType, originalBody);
        long contentLength = (Long) invoke(responseBodyContentLength, originalBody);
        Object source = invoke(okioBuffer, null, invoke(okioSourceOfStream, null, stream));
        Object body = invoke(responseBodyOfSource, null, source, contentType, contentLength);
        Object builder = invoke(responseNewBuilder, response);
        invoke(responseBuilderBody, builder, body);
        return invoke(responseBuilderBuild, builder);
    }
}
