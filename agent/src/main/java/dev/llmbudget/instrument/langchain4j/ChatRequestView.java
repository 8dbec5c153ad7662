package dev.llmbudget.instrument.langchain4j;

import java.util.List;

/**
 * A {@code ChatRequest} as the provider module will receive it in {@code doChat}: its parameters
 * merged over the model's {@code defaultRequestParameters()}, exactly as LangChain4j's own
 * {@code chat(...)} merges them a few instructions later. At {@code chat()} entry the request alone may
 * name no model and no maximum (the builder's defaults are not merged yet); the merged view has them.
 */
final class ChatRequestView {
    /** OpenAI's parameters carry {@code max_completion_tokens} apart from {@code maxOutputTokens} ({@code max_tokens}). */
    static final String MAX_COMPLETION_TOKENS = "maxCompletionTokens";

    final Object request;
    final Object parameters;

    private ChatRequestView(Object request, Object parameters) {
        this.request = request;
        this.parameters = parameters;
    }

    static ChatRequestView of(Object model, Object request) {
        Object own = Reflect.call(request, "parameters");
        Object defaults = Reflect.call(model, "defaultRequestParameters");
        Object merged = defaults == null ? own : own == null ? defaults : Reflect.call(defaults, "overrideWith", own);
        if (merged == null) {
            throw new IllegalStateException("a ChatRequest without parameters");
        }
        return new ChatRequestView(request, merged);
    }

    List<?> messages() {
        Object messages = Reflect.call(request, "messages");
        return messages instanceof List<?> list ? list : List.of();
    }

    /** The model the provider is asked for, or null when neither the request nor the model's defaults name one. */
    String modelName() {
        Object name = Reflect.call(parameters, "modelName");
        return name instanceof String string && !string.isBlank() ? string : null;
    }

    long maxOutputTokens() {
        return Reflect.count(Reflect.call(parameters, "maxOutputTokens"));
    }

    /** OpenAI's {@code maxCompletionTokens}, 0 when unset or when the provider's parameters have no such field. */
    long maxCompletionTokens() {
        return Reflect.count(Reflect.callIfPresent(parameters, MAX_COMPLETION_TOKENS));
    }

    boolean hasMaxCompletionTokens() {
        return Reflect.has(parameters.getClass(), MAX_COMPLETION_TOKENS, 0);
    }

    /** The output maximum the request asks for: whichever field is set, the larger when both are (both are sent). */
    long askedOutputTokens() {
        return Math.max(maxOutputTokens(), maxCompletionTokens());
    }
}
