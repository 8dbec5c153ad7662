package dev.llmbudget.instrument.langchain4j;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code StreamingChatModel.chat(ChatRequest[, ChatRequestOptions], StreamingChatResponseHandler)}.
 * A refusal skips the method body (nothing is sent, the handler is never called) and is thrown to the
 * caller on exit, as LangChain4j throws its own pre-send errors; the handler is replaced by one that
 * settles the call as the stream ends. Everything else is delegated to {@link LangChain4jBridge}.
 */
public final class StreamingChatAdvice {
    private StreamingChatAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static Throwable enter(@Advice.This Object model,
                                  @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] arguments,
                                  @Advice.Local("llmBudgetCall") Object call) {
        call = LangChain4jBridge.begin(model, arguments, true);
        arguments = LangChain4jBridge.arguments(call, arguments);
        return LangChain4jBridge.refusal(call);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Throwable refusal,
                            @Advice.Local("llmBudgetCall") Object call,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (refusal != null) {
            thrown = refusal;
        } else {
            LangChain4jBridge.endStream(call, thrown);
        }
    }
}
