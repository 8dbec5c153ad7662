package dev.llmbudget.demo;

import com.openai.models.chat.completions.ChatCompletionCreateParams;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The conversation between the agents, as each of them sends it: its system prompt, its opening
 * message (with the dataset), then the last {@value #TURNS_KEPT} turns. Like real agents, they
 * trim old turns to stay within a context budget, yet every call still carries a few thousand
 * input tokens: a loop costs its context size on every round, forever.
 */
final class ConversationWindow {

    static final int TURNS_KEPT = 6;

    private record Turn(ChatAgent speaker, String text) {
    }

    private final Deque<Turn> turns = new ArrayDeque<>();

    /** Appends what {@code speaker} said, dropping the oldest turn beyond the window. */
    void record(ChatAgent speaker, String text) {
        turns.addLast(new Turn(speaker, text));
        while (turns.size() > TURNS_KEPT) {
            turns.removeFirst();
        }
    }

    /**
     * The request {@code agent} sends next: its own past turns as assistant messages, the other
     * agent's as user messages.
     */
    ChatCompletionCreateParams requestFor(ChatAgent agent, String model, long maxCompletionTokens) {
        ChatCompletionCreateParams.Builder request = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(agent.systemPrompt())
                .addUserMessage(agent.openingMessage());
        for (Turn turn : turns) {
            if (turn.speaker() == agent) {
                request.addAssistantMessage(turn.text());
            } else {
                request.addUserMessage(turn.text());
            }
        }
        return request.maxCompletionTokens(maxCompletionTokens).build();
    }
}
