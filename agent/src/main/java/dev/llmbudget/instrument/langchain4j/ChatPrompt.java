package dev.llmbudget.instrument.langchain4j;

import dev.llmbudget.tokens.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a LangChain4j {@code ChatRequest} sends as input, read from its messages and merged parameters:
 * every text a provider module serialises (message texts, names, tool calls and results, thinking
 * sent back, tool definitions, a JSON response schema), and its images. Read by the message's
 * {@code type()}, not its class, so subclasses and provider-specific messages are read alike.
 */
final class ChatPrompt {
    private final List<String> texts = new ArrayList<>();
    private int images;

    private ChatPrompt() {
    }

    static Prompt of(List<?> messages, Object parameters) {
        ChatPrompt prompt = new ChatPrompt();
        for (Object message : messages) {
            prompt.addMessage(message);
        }
        prompt.addTools(parameters);
        return new Prompt(prompt.texts, Math.max(1, messages.size()), prompt.images, 0);
    }

    private void addMessage(Object message) {
        if (message == null) {
            return;
        }
        String type = String.valueOf(Reflect.callIfPresent(message, "type"));
        switch (type) {
            case "SYSTEM" -> add(Reflect.call(message, "text"));
            case "USER" -> {
                add(Reflect.callIfPresent(message, "name"));
                addContents(Reflect.call(message, "contents"));
            }
            case "AI" -> {
                add(Reflect.call(message, "text"));
                // thinking goes back to the provider only when the model is told to send it: counting it always over-reserves, never under
                add(Reflect.callIfPresent(message, "thinking"));
                Object requests = Reflect.callIfPresent(message, "toolExecutionRequests");
                if (requests instanceof List<?> list) {
                    for (Object request : list) {
                        add(Reflect.call(request, "name"));
                        add(Reflect.call(request, "arguments"));
                    }
                }
            }
            case "TOOL_EXECUTION_RESULT" -> {
                add(Reflect.callIfPresent(message, "toolName"));
                Object contents = Reflect.callIfPresent(message, "contents");
                if (contents instanceof List<?>) {
                    addContents(contents);
                } else {
                    add(Reflect.call(message, "text"));
                }
            }
            case "CUSTOM" -> add(attributes(message));
            // a message type this version of the agent does not know: its whole description bounds what it sends
            default -> add(String.valueOf(message));
        }
    }

    private void addContents(Object contents) {
        if (!(contents instanceof List<?> list)) {
            return;
        }
        for (Object content : list) {
            if (content == null) {
                continue;
            }
            if ("TEXT".equals(String.valueOf(Reflect.callIfPresent(content, "type")))) {
                add(Reflect.call(content, "text"));
            } else {
                // images, and audio, video and PDF parts, which the agent cannot count: each at the stated per-image bound
                images++;
            }
        }
    }

    /** Tool definitions and a response schema travel with every request; their descriptions bound the JSON sent. */
    private void addTools(Object parameters) {
        Object tools = Reflect.callIfPresent(parameters, "toolSpecifications");
        if (tools instanceof List<?> list) {
            for (Object tool : list) {
                add(toolJson(tool));
            }
        }
        Object format = Reflect.callIfPresent(parameters, "responseFormat");
        if (format != null && Reflect.callIfPresent(format, "jsonSchema") != null) {
            add(String.valueOf(format));
        }
    }

    /** The tool as JSON where LangChain4j can write it ({@code toJson()}, recent 1.x), else its description. */
    private static String toolJson(Object tool) {
        try {
            if (Reflect.callIfPresent(tool, "toJson") instanceof String json) {
                return json;
            }
        } catch (RuntimeException | LinkageError notWritable) {
            // the description holds the same names, texts and schema, with more punctuation: it only over-counts
        }
        return String.valueOf(tool);
    }

    private static Object attributes(Object message) {
        Object attributes = Reflect.callIfPresent(message, "attributes");
        return attributes instanceof Map<?, ?> map ? map.toString() : String.valueOf(message);
    }

    private void add(Object text) {
        if (text instanceof String string && !string.isEmpty()) {
            texts.add(string);
        }
    }
}
