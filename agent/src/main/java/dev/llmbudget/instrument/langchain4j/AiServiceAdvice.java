package dev.llmbudget.instrument.langchain4j;

import net.bytebuddy.asm.Advice;

/** Inlined into the {@code InvocationHandler} behind every {@code AiServices} proxy: each invocation is a run ({@link AiServiceRuns}). */
public final class AiServiceAdvice {
    private AiServiceAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Object proxy, @Advice.Argument(1) Object method) {
        return AiServiceRuns.enter(proxy, method);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object run) {
        AiServiceRuns.exit(run);
    }
}
