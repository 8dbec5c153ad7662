package dev.llmbudget.instrument.stainless;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code RetryingHttpClient.execute(HttpRequest, RequestOptions)}. A refusal skips the
 * method body (nothing is sent) and is thrown on exit; everything else is delegated to
 * {@link StainlessSdkBridge}. Advice failures are suppressed: the host's call proceeds.
 */
public final class ExecuteAdvice {
    private ExecuteAdvice() {
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
    public static void exit(@Advice.Enter Throwable refusal,
                            @Advice.Local("llmBudgetCall") Object call,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (refusal != null) {
            thrown = refusal;
        } else {
            response = StainlessSdkBridge.end(call, response, thrown);
        }
    }
}
