package dev.llmbudget.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;

/** One library's interception points: the classes it matches (by name) and the advice it applies. */
public interface Instrumentation {

    /** A short name for logs and configuration, e.g. {@code openai-sdk}. */
    String name();

    AgentBuilder extend(AgentBuilder builder);
}
