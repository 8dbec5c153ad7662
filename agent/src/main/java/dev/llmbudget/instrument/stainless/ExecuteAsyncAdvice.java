package dev.llmbudget.instrument.stainless;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code RetryingHttpClient.executeAsync(HttpRequest, RequestOptions)}. A refusal skips
 * the method body (nothing is sent) and the application gets a future failed with it, as an
 * asynchronous API reports errors; everything else is delegated to {@link StainlessSdkBridge}.
 */
public final class ExecuteAsyncAdvice {
    private ExecuteAsyncAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static Throwable enter(@Advice.This Object client,
                                  @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request,
                                  @Advice.Local("llmBudgetCall") Object call) {
        call = StainlessSdkBridge.begin(client, request);
        request = StainlessSdkBridge.requestToSend(call, request);
        return StainlessSdkBridge.refusal(call);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Local("llmBudgetCall") Object call,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future,
                            @Advice.Thrown Throwable thrown) {
        future = StainlessSdkBridge.endAsync(call, future, thrown);
    }
}
