package dev.llmbudget.it.apps;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A LangChain4j AI service with one tool, on LangChain4j's OpenAI model, with no knowledge of the agent.
 * A model that asks for the tool again after every result (the fake, told to) keeps
 * LangChain4j's tool loop going until LangChain4j's own cap, {@code maxSequentialToolsInvocations}
 * (100 round trips by default), ends the invocation with an exception.
 *
 * <p>Argument: {@code <invocations>}. Prints, per invocation, {@code CALL ok <answer>},
 * {@code CALL refused <class> rule=<rule> <message>} or {@code CALL error <class> <message>}, then
 * {@code INVOCATION <i> tools=<tool executions in it>}.
 */
public final class ToolLoopHost {

    /** The AI service: each invocation of {@link #research} is one run for the agent, without configuration. */
    public interface Researcher {
        String research(String question);
    }

    /** The one tool the model keeps asking for. */
    public static final class ChurnFigures {
        private final AtomicInteger executions = new AtomicInteger();

        @Tool("Returns this quarter's churn figures")
        public String churnFigures() {
            executions.incrementAndGet();
            return "churn rose 12% this quarter";
        }
    }

    private ToolLoopHost() {
    }

    public static void main(String[] args) {
        System.out.println("HOST main started");
        int invocations = Integer.parseInt(args[0]);
        ChatModel model = OpenAiChatModel.builder().baseUrl(System.getProperty("it.baseUrl")).apiKey("sk-test-incident-key-00000001")
                .modelName(IncidentClients.MODEL).maxCompletionTokens(300).maxRetries(0).build();
        ChurnFigures tool = new ChurnFigures();
        Researcher researcher = AiServices.builder(Researcher.class).chatModel(model).tools(tool).build();
        for (int i = 1; i <= invocations; i++) {
            int before = tool.executions.get();
            try {
                System.out.println("CALL ok " + CallLines.oneLine(researcher.research("Why did churn rise? (question " + i + ")")));
            } catch (RuntimeException e) {
                System.out.println(CallLines.failureLine(e));
            }
            System.out.println("INVOCATION " + i + " tools=" + (tool.executions.get() - before));
        }
        System.out.flush();
        System.exit(0);
    }
}
