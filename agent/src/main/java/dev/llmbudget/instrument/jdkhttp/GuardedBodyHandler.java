package dev.llmbudget.instrument.jdkhttp;

import dev.llmbudget.instrument.http.HttpCall;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.llmbudget.wire.UsageReader;

/**
 * The application's body handler, unchanged in what it gives the application, whose subscriber also
 * shows every buffer to the call's {@link UsageReader}: usage is read from the bytes as they arrive,
 * whether the application collects a string, a byte array, or reads a stream ({@code ofInputStream}).
 * Nothing is buffered ahead of the application.
 */
final class GuardedBodyHandler<T> implements HttpResponse.BodyHandler<T> {
    private final HttpResponse.BodyHandler<T> delegate;
    private final HttpCall call;

    GuardedBodyHandler(HttpResponse.BodyHandler<T> delegate, HttpCall call) {
        this.delegate = delegate;
        this.call = call;
    }

    @Override
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
        HttpResponse.BodySubscriber<T> subscriber = delegate.apply(info);
        return call.answered(info.statusCode()) ? new Tapped<>(subscriber, call, call.usageReader()) : subscriber;
    }

    private static final class Tapped<T> implements HttpResponse.BodySubscriber<T> {
        private final HttpResponse.BodySubscriber<T> delegate;
        private final HttpCall call;
        private final UsageReader reader;
        private final AtomicBoolean ended = new AtomicBoolean();

        Tapped(HttpResponse.BodySubscriber<T> delegate, HttpCall call, UsageReader reader) {
            this.delegate = delegate;
            this.call = call;
            this.reader = reader;
        }

        @Override
        public CompletionStage<T> getBody() {
            return delegate.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            delegate.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    subscription.request(n);
                }

                /** The application stopped reading (closed its stream): the call ends with what it got. */
                @Override
                public void cancel() {
                    try {
                        end(false);
                    } finally {
                        subscription.cancel();
                    }
                }
            });
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            try {
                synchronized (reader) {
                    for (ByteBuffer item : items) {
                        ByteBuffer view = item.duplicate();
                        byte[] bytes = new byte[view.remaining()];
                        view.get(bytes);
                        reader.accept(bytes, 0, bytes.length);
                    }
                }
            } catch (RuntimeException unreadable) {
                // the application's body comes first; the settlement falls back on what was read
            }
            delegate.onNext(items);
        }

        @Override
        public void onError(Throwable error) {
            synchronized (reader) {
                if (ended.compareAndSet(false, true)) {
                    String output = reader.outputSoFar();
                    if (output != null && !output.isEmpty()) {
                        call.bodyEnded(reader, false);
                    } else {
                        call.failed(error);
                    }
                }
            }
            delegate.onError(error);
        }

        @Override
        public void onComplete() {
            end(true);
            delegate.onComplete();
        }

        /**
         * Settles once. Whoever comes second (the application closing its stream while the client's
         * thread completes it) waits until the settlement is done, so that an application that exits
         * right after closing does not lose it.
         */
        private void end(boolean reachedEnd) {
            synchronized (reader) {
                if (ended.compareAndSet(false, true)) {
                    call.bodyEnded(reader, reachedEnd);
                }
            }
        }
    }
}
