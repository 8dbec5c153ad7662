package dev.llmbudget.demo;

/**
 * Recognises llm-budget-agent's refusal by class name alone. The demo must compile and run
 * without the agent, so it cannot name {@code dev.llmbudget.BudgetExceededException} as a type.
 */
final class AgentRefusal {

    static final String EXCEPTION_CLASS = "dev.llmbudget.BudgetExceededException";
    static final String AGENT_MAIN_CLASS = "dev.llmbudget.agent.AgentMain";

    private AgentRefusal() {
    }

    /**
     * The refusal in {@code thrown} or its causes (a client library may wrap it), or null.
     * Subclasses count: the agent refuses for other reasons (e.g. an unpriced model) with them.
     */
    static Throwable find(Throwable thrown) {
        int depth = 0;
        // The depth bound guards against cause cycles, which getCause() does not rule out.
        for (Throwable t = thrown; t != null && depth < 32; t = t.getCause(), depth++) {
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (EXCEPTION_CLASS.equals(c.getName())) {
                    return t;
                }
            }
        }
        return null;
    }

    /** Whether the agent is attached: -javaagent puts its jar on the system class path. */
    static boolean agentAttached() {
        try {
            Class.forName(AGENT_MAIN_CLASS, false, ClassLoader.getSystemClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
