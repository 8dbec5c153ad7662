package dev.llmbudget.instrument.langchain4j;

import dev.llmbudget.core.OutputCeiling;

/**
 * Rewrites a {@code ChatRequest} to the output ceiling ({@code limits.max-output-tokens}) before
 * LangChain4j hands it to the provider module. The new request carries the merged parameters with the
 * maximum replaced through {@code overrideWith}, which keeps the provider's parameter subclass (the
 * provider casts to it). OpenAI's parameters have two fields: {@code maxCompletionTokens}
 * ({@code max_completion_tokens}) is clamped where the application set it, {@code maxOutputTokens}
 * ({@code max_tokens}) where it set that, both if both; a request setting neither gets
 * {@code max_completion_tokens}, as the HTTP-level layers write it, because reasoning models reject
 * {@code max_tokens}.
 */
final class OutputClamp {
    private static final String PARAMETERS_TYPE = "dev.langchain4j.model.chat.request.ChatRequestParameters";

    private OutputClamp() {
    }

    /** The request to send in place of the application's; throws when it cannot be written or would still ask for more. */
    static Object rewrite(Object model, ChatRequestView view, long maxTokens) throws ClassNotFoundException {
        Integer ceiling = Math.toIntExact(maxTokens);
        boolean twoFields = view.hasMaxCompletionTokens();
        boolean setCompletion = twoFields && (view.maxCompletionTokens() > 0 || view.maxOutputTokens() == 0);
        boolean setOutput = !twoFields || view.maxOutputTokens() > 0;
        Object builder;
        if (setCompletion) {
            builder = Reflect.callStatic(view.parameters.getClass(), "builder");
            Reflect.call(builder, ChatRequestView.MAX_COMPLETION_TOKENS, ceiling);
        } else {
            Class<?> parametersType = Class.forName(PARAMETERS_TYPE, false, view.request.getClass().getClassLoader());
            builder = Reflect.callStatic(parametersType, "builder");
        }
        if (setOutput) {
            Reflect.call(builder, "maxOutputTokens", ceiling);
        }
        Object clamped = Reflect.call(view.parameters, "overrideWith", Reflect.call(builder, "build"));
        Object requestBuilder = Reflect.call(view.request, "toBuilder");
        Reflect.call(requestBuilder, "parameters", clamped);
        Object rewritten = Reflect.call(requestBuilder, "build");
        verify(ChatRequestView.of(model, rewritten), maxTokens);
        return rewritten;
    }

    /** What LangChain4j will merge from the rewritten request must ask for the ceiling at most, in every field it sends. */
    private static void verify(ChatRequestView sent, long maxTokens) {
        long output = sent.maxOutputTokens();
        long completion = sent.maxCompletionTokens();
        if (output > maxTokens || completion > maxTokens || output + completion == 0) {
            throw new IllegalStateException("the rewritten request still asks for max output " + output
                    + ", max completion " + completion + " tokens, over " + OutputCeiling.KEY + "=" + maxTokens);
        }
    }
}
