package dev.llmbudget.instrument.langchain4j;

import java.util.Locale;

/**
 * The provider a LangChain4j model class talks to, for the ledger: {@code openai} for
 * {@code OpenAi*}, {@code anthropic} for {@code Anthropic*}, otherwise its class name without the
 * {@code [Streaming]ChatModel} suffix, lower case ({@code OllamaChatModel} is {@code ollama}). Prices
 * are looked up by model name, so this names the provider and decides nothing.
 */
final class ProviderNames {
    private static final ClassValue<String> BY_CLASS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return fromSimpleName(type.getSimpleName());
        }
    };

    private ProviderNames() {
    }

    static String of(Class<?> modelClass) {
        return BY_CLASS.get(modelClass);
    }

    static String fromSimpleName(String simpleName) {
        if (simpleName.startsWith("OpenAi")) {
            return "openai";
        }
        if (simpleName.startsWith("Anthropic")) {
            return "anthropic";
        }
        String name = simpleName;
        for (String suffix : new String[] {"StreamingChatModel", "ChatModel", "StreamingLanguageModel", "Model"}) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                name = name.substring(0, name.length() - suffix.length());
                break;
            }
        }
        return name.isEmpty() ? "unknown" : name.toLowerCase(Locale.ROOT);
    }
}
