package dev.llmbudget.instrument.okhttp;

import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the constructors of {@code okhttp3.OkHttpClient$Builder}: the builder then
 * holds the agent's interceptor exactly once, first. Failures are suppressed: the builder is the
 * application's as it would be without the agent.
 */
public final class BuilderAdvice {
    private BuilderAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object builder) {
        OkHttpBridge.builderCreated(builder);
    }
}
