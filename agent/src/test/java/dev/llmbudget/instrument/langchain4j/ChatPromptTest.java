package dev.llmbudget.instrument.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.llmbudget.tokens.Prompt;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatPromptTest {

    @Test
    void everyTextSentIsReadImagesAreCountedAndToolsGoAsJson() {
        ToolSpecification tool = ToolSpecification.builder().name("lookup_churn").description("Churn by month")
                .parameters(JsonObjectSchema.builder().addStringProperty("month", "e.g. 2026-10").required("month").build())
                .build();
        ChatRequestParameters parameters = ChatRequestParameters.builder().toolSpecifications(tool).build();
        List<Object> messages = List.of(
                SystemMessage.from("You are the Verifier."),
                UserMessage.from(TextContent.from("What does this chart show?"), ImageContent.from("https://example.com/chart.png")),
                AiMessage.from("Let me look it up.", List.of(ToolExecutionRequest.builder().id("call_1").name("lookup_churn")
                        .arguments("{\"month\":\"2026-10\"}").build())),
                ToolExecutionResultMessage.from("call_1", "lookup_churn", "12% rise"));

        Prompt prompt = ChatPrompt.of(messages, parameters);

        assertEquals(4, prompt.messages());
        assertEquals(1, prompt.images());
        List<String> texts = prompt.texts();
        for (String expected : List.of("You are the Verifier.", "What does this chart show?", "Let me look it up.",
                "{\"month\":\"2026-10\"}", "12% rise")) {
            assertTrue(texts.contains(expected), expected + " in " + texts);
        }
        assertTrue(texts.stream().anyMatch(text -> text.contains("lookup_churn") && text.contains("Churn by month")
                && text.contains("2026-10")), "the tool definition with its schema: " + texts);
        assertTrue(texts.stream().noneMatch(text -> text.contains("chart.png")), "an image is counted as one, not as its URL");
    }

    @Test
    void providerNamesFollowTheModelClass() {
        assertEquals("openai", ProviderNames.fromSimpleName("OpenAiStreamingChatModel"));
        assertEquals("anthropic", ProviderNames.fromSimpleName("AnthropicChatModel"));
        assertEquals("ollama", ProviderNames.fromSimpleName("OllamaChatModel"));
        assertEquals("googleaigemini", ProviderNames.fromSimpleName("GoogleAiGeminiStreamingChatModel"));
        assertEquals("unknown", ProviderNames.fromSimpleName(""));
    }
}
