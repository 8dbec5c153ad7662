package dev.llmbudget.instrument.context;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmbudget.instrument.Instrumentation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The methods of {@code task.entry-points}: each invocation opens a run named {@code Class#method}
 * ({@link RunContext}). Classes and methods are matched by exact name. Entry-point classes are the
 * application's (the system class loader or a child of it), so the advice calls the agent directly.
 */
public final class EntryPointInstrumentation implements Instrumentation {
    private final List<EntryPoint> entryPoints;

    public EntryPointInstrumentation(List<EntryPoint> entryPoints) {
        this.entryPoints = List.copyOf(entryPoints);
    }

    @Override
    public String name() {
        return "task.entry-points";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
        ClassLoader agentLoader = EntryPointInstrumentation.class.getClassLoader();
        Map<String, ElementMatcher.Junction<MethodDescription>> methodsByClass = new LinkedHashMap<>();
        for (EntryPoint entryPoint : entryPoints) {
            ElementMatcher.Junction<MethodDescription> methods = methodsByClass.get(entryPoint.className());
            methodsByClass.put(entryPoint.className(), methods == null ? methods(entryPoint) : methods.or(methods(entryPoint)));
        }
        for (Map.Entry<String, ElementMatcher.Junction<MethodDescription>> type : methodsByClass.entrySet()) {
            builder = builder.type(named(type.getKey()))
                    .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                            .advice(type.getValue(), RunAdvice.class.getName()));
        }
        return builder;
    }

    static ElementMatcher.Junction<MethodDescription> methods(EntryPoint entryPoint) {
        ElementMatcher.Junction<MethodDescription> matcher = isMethod().and(named(entryPoint.methodName()))
                .and(not(isAbstract())).and(not(isBridge()));
        List<String> types = entryPoint.parameterTypes();
        if (types != null) {
            matcher = matcher.and(takesArguments(types.size()));
            for (int i = 0; i < types.size(); i++) {
                matcher = matcher.and(takesArgument(i, named(types.get(i))));
            }
        }
        return matcher;
    }

    /** Inlined into each entry-point method. */
    public static final class RunAdvice {
        private RunAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter(@Advice.Origin("#t\\##m") String entryPoint) {
            return RunContext.enter(entryPoint);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter Object run) {
            RunContext.exit(run);
        }
    }
}
