package dev.llmbudget.instrument.langchain4j;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code ChatModel.chat(ChatRequest[, ChatRequestOptions])}. A refusal skips the method
 * body (no listener runs, {@code doChat} is never called) and is thrown on exit; the arguments are
 * replaced when the request must be rewritten; everything else is delegated to {@link LangChain4jBridge}.
 * Advice failures are suppressed: the host's call proceeds.
 */
public final class ChatAdvice {
    private ChatAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static Throwable enter(@Advice.This Object model,
                                  @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] arguments,
                                  @Advice.Local("llmBudgetCall") Object call) {
        call = LangChain4jBridge.begin(model, arguments, false);
        arguments = LangChain4jBridge.arguments(call, arguments);
        return LangChain4jBridge.refusal(call);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Throwable refusal,
                            @Advice.Local("llmBudgetCall") Object call,
                            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object response,
                            @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (refusal != null) {
            thrown = refusal;
        } else {
            LangChain4jBridge.end(call, response, thrown);
        }
    }
}
