package dev.llmbudget.wire.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmbudget.core.Usage;
import dev.llmbudget.wire.UsageExtractor;

/**
 * One stream's chunks (SSE events or JSON array elements), each a GenerateContentResponse. Gemini
 * repeats {@code usageMetadata} on chunks as running totals, so the last report is the call's; counts
 * are merged by maximum, so that a chunk missing a count cannot erase it.
 *
 * <p>A chunk's usage is reported only once it counts the output ({@code candidatesTokenCount} or
 * {@code thoughtsTokenCount}), or on the stream's last chunk (a {@code finishReason}, or a blocked
 * prompt). An early chunk that counts only the prompt would settle a stream cut after it as if it
 * had generated nothing; without a report the cut stream is charged for the output text it carried.
 * Keeps state: one instance per stream.
 */
final class GeminiStreamUsage implements UsageExtractor {
    private long prompt;
    private long cached;
    private long toolUsePrompt;
    private long candidates;
    private long thoughts;

    @Override
    public Usage usageIn(JsonNode chunk) {
        JsonNode metadata = GeminiProtocol.usageMetadataOf(chunk);
        if (metadata == null) {
            return null;
        }
        prompt = Math.max(prompt, GeminiFields.count(metadata, "promptTokenCount", "prompt_token_count"));
        cached = Math.max(cached, GeminiFields.count(metadata, "cachedContentTokenCount", "cached_content_token_count"));
        toolUsePrompt = Math.max(toolUsePrompt,
                GeminiFields.count(metadata, "toolUsePromptTokenCount", "tool_use_prompt_token_count"));
        candidates = Math.max(candidates, GeminiFields.count(metadata, "candidatesTokenCount", "candidates_token_count"));
        thoughts = Math.max(thoughts, GeminiFields.count(metadata, "thoughtsTokenCount", "thoughts_token_count"));
        boolean countsOutput = GeminiFields.has(metadata, "candidatesTokenCount", "candidates_token_count")
                || GeminiFields.has(metadata, "thoughtsTokenCount", "thoughts_token_count");
        if (!countsOutput && !isLast(chunk)) {
            return null;
        }
        return new Usage(prompt + toolUsePrompt, cached, 0, candidates + thoughts, thoughts);
    }

    /**
     * The output text a chunk carries: each candidate's text parts (thought summaries included, they
     * are billed output too), function calls as JSON, and generated code.
     */
    @Override
    public String outputTextIn(JsonNode chunk) {
        JsonNode candidateList = chunk == null ? null : chunk.get("candidates");
        if (candidateList == null || !candidateList.isArray()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode candidate : candidateList) {
            for (JsonNode part : candidate.path("content").path("parts")) {
                appendText(text, part.get("text"));
                JsonNode call = GeminiFields.get(part, "functionCall", "function_call");
                if (call != null) {
                    text.append(call.toString());
                }
                JsonNode code = GeminiFields.get(part, "executableCode", "executable_code");
                if (code != null) {
                    appendText(text, code.get("code"));
                }
            }
        }
        return text.length() == 0 ? null : text.toString();
    }

    private static void appendText(StringBuilder text, JsonNode value) {
        if (value != null && value.isTextual()) {
            text.append(value.textValue());
        }
    }

    /** The stream's final chunk: a candidate with its finish reason, or a prompt blocked outright. */
    private static boolean isLast(JsonNode chunk) {
        for (JsonNode candidate : chunk.path("candidates")) {
            if (GeminiFields.has(candidate, "finishReason", "finish_reason")) {
                return true;
            }
        }
        return GeminiFields.has(chunk.path("promptFeedback"), "blockReason", "block_reason");
    }
}
