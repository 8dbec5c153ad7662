package dev.llmbudget.instrument.okhttp;

import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code okhttp3.internal.connection.RealCall.enqueue(Callback)}, on the thread
 * that enqueues: the interceptor later runs on a dispatcher thread, where neither the caller nor an
 * SDK's claim on the call is visible any more.
 */
public final class EnqueueAdvice {
    private EnqueueAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object call) {
        OkHttpBridge.enqueued(call);
    }
}
