package dev.llmbudget.instrument.jdkhttp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** Reading a {@link HttpRequest}'s body from its publisher, and sending the same bytes again. */
final class RequestBodies {
    /** Larger request bodies are not read (the call goes under {@code on-internal-error}). */
    static final int MAX_BYTES = 64 * 1024 * 1024;
    private static final long READ_TIMEOUT_SECONDS = 10;

    private RequestBodies() {
    }

    /**
     * A request's body, read at most once. {@code ofString}, {@code ofByteArray} and {@code ofFile}
     * publishers can be subscribed again by the HTTP client; one of unknown length (a stream, a
     * custom publisher) may be one-shot, so once read it is replaced by the bytes read.
     */
    static final class Body {
        private final HttpRequest request;
        private byte[] bytes;
        private boolean read;

        Body(HttpRequest request) {
            this.request = request;
        }

        byte[] bytes() throws IOException {
            if (!read) {
                read = true;
                bytes = RequestBodies.read(request);
            }
            return bytes;
        }

        /** The bytes {@link #bytes} read, without reading. */
        byte[] cached() {
            return bytes;
        }

        boolean mustBeResent() {
            return read && bytes != null && request.bodyPublisher().map(p -> p.contentLength() < 0).orElse(false);
        }
    }

    static HttpRequest withBody(HttpRequest request, byte[] body) {
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private static byte[] read(HttpRequest request) throws IOException {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty()) {
            return new byte[0];
        }
        if (publisher.get().contentLength() > MAX_BYTES) {
            return null;
        }
        Collector collector = new Collector();
        publisher.get().subscribe(collector);
        return collector.await();
    }

    /** Takes everything the publisher has; the JDK's own publishers deliver it on the subscribing thread. */
    private static final class Collector implements Flow.Subscriber<ByteBuffer> {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CountDownLatch done = new CountDownLatch(1);
        private Flow.Subscription subscription;
        private volatile Throwable failure;
        private volatile boolean tooLarge;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer item) {
            synchronized (out) {
                if (out.size() + item.remaining() > MAX_BYTES) {
                    tooLarge = true;
                    subscription.cancel();
                    done.countDown();
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            failure = error;
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }

        byte[] await() throws IOException {
            try {
                if (!done.await(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("the request body publisher gave no complete body within " + READ_TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the request body", e);
            }
            if (failure != null) {
                throw new IOException("the request body publisher failed", failure);
            }
            if (tooLarge) {
                return null;
            }
            synchronized (out) {
                return out.toByteArray();
            }
        }
    }
}
