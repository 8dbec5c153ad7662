package dev.llmbudget.instrument.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.core.Run;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;

/**
 * The entry-point advice and matchers, applied by ByteBuddy as the agent applies them (here to a class
 * redefined into a child loader, no agent attached).
 */
class EntryPointInstrumentationTest {
    private static final String PIPELINE = Pipeline.class.getName();

    @Test
    void everyOverloadOfAMethodNamedWithoutParametersOpensARunNamedClassHashMethod() throws Exception {
        Class<?> pipeline = instrumented(EntryPoint.parse(PIPELINE + "#run"));

        String plain = call(pipeline, "run");
        String overload = call(pipeline, "run", 3);

        assertTrue(plain.startsWith(PIPELINE + "#run run-"), plain);
        assertTrue(overload.startsWith(PIPELINE + "#run run-"), overload);
        assertTrue(!plain.equals(overload), "two invocations, two runs: " + plain + " / " + overload);
        assertNull(RunContext.current());
    }

    @Test
    void parameterTypesSelectOneOverload() throws Exception {
        Class<?> pipeline = instrumented(EntryPoint.parse(PIPELINE + "#step(java.lang.String)"));

        assertTrue(call(pipeline, "step", "a").startsWith(PIPELINE + "#step run-"));
        assertEquals("none", call(pipeline, "step", "a", 2));
        assertEquals("none", call(pipeline, "run"));
    }

    @Test
    void arraysAndPrimitivesAreWrittenAsInJavaSource() throws Exception {
        Class<?> pipeline = instrumented(EntryPoint.parse(PIPELINE + "#batch(java.lang.String[],long)"));

        Method batch = pipeline.getMethod("batch", String[].class, long.class);
        String seen = (String) batch.invoke(pipeline.getConstructor().newInstance(), new String[] {"a"}, 1L);

        assertTrue(seen.startsWith(PIPELINE + "#batch run-"), seen);
    }

    @Test
    void anEntryPointCalledInsideAnotherBelongsToTheOuterRun() throws Exception {
        Class<?> pipeline = instrumented(EntryPoint.parse(PIPELINE + "#outer"), EntryPoint.parse(PIPELINE + "#step(java.lang.String)"));

        String seen = call(pipeline, "outer");

        // outer prints its own run, then the run step saw
        String[] runs = seen.split("\\|");
        assertTrue(runs[0].startsWith(PIPELINE + "#outer run-"), seen);
        assertEquals(runs[0], runs[1], "the nested entry point is in the outer run");
    }

    @Test
    void anEntryPointThatThrowsClosesItsRunAndTheExceptionReachesTheCaller() throws Exception {
        Class<?> pipeline = instrumented(EntryPoint.parse(PIPELINE + "#fail"));

        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> pipeline.getMethod("fail").invoke(pipeline.getConstructor().newInstance()));

        assertEquals("the application's own failure", thrown.getCause().getMessage());
        assertNull(RunContext.current());
    }

    private static Class<?> instrumented(EntryPoint... entryPoints) {
        var methods = EntryPointInstrumentation.methods(entryPoints[0]);
        for (int i = 1; i < entryPoints.length; i++) {
            methods = methods.or(EntryPointInstrumentation.methods(entryPoints[i]));
        }
        return new ByteBuddy().redefine(Pipeline.class)
                .visit(Advice.to(EntryPointInstrumentation.RunAdvice.class).on(methods))
                .make()
                .load(new ClassLoader(EntryPointInstrumentationTest.class.getClassLoader()) {
                }, ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded();
    }

    private static String call(Class<?> type, String method, Object... args) throws Exception {
        Class<?>[] types = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) {
            types[i] = args[i] instanceof Integer ? int.class : args[i].getClass();
        }
        return (String) type.getMethod(method, types).invoke(type.getConstructor().newInstance(), args);
    }

    /** The application class; each method says which run it ran in. */
    public static class Pipeline {
        public String run() {
            return seen();
        }

        public String run(int times) {
            return seen();
        }

        public String step(String input) {
            return seen();
        }

        public String step(String input, int times) {
            return seen();
        }

        public String batch(String[] inputs, long limit) {
            return seen();
        }

        public String outer() {
            return seen() + "|" + step("nested");
        }

        public String fail() {
            throw new IllegalStateException("the application's own failure");
        }

        private static String seen() {
            Run run = RunContext.current();
            return run == null ? "none" : run.entryPoint() + " " + run.id();
        }
    }
}
