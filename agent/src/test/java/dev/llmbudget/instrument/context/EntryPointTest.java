package dev.llmbudget.instrument.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmbudget.config.ValueType;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryPointTest {

    @Test
    void aMethodWithoutParametersMeansEveryOverload() {
        EntryPoint entryPoint = EntryPoint.parse("com.acme.Pipeline#run");

        assertEquals("com.acme.Pipeline", entryPoint.className());
        assertEquals("run", entryPoint.methodName());
        assertNull(entryPoint.parameterTypes());
        assertEquals("com.acme.Pipeline#run", entryPoint.runName());
        assertEquals("com/acme/Pipeline", entryPoint.internalClassName());
    }

    @Test
    void parameterTypesAreKeptAsWrittenWithoutSpaces() {
        EntryPoint entryPoint = EntryPoint.parse("com.acme.Agent#step( java.lang.String , int[] ,java.util.Map)");

        assertEquals(List.of("java.lang.String", "int[]", "java.util.Map"), entryPoint.parameterTypes());
        assertEquals("com.acme.Agent#step", entryPoint.runName());
    }

    @Test
    void emptyParenthesesMeanTheMethodWithoutParameters() {
        assertEquals(List.of(), EntryPoint.parse("com.acme.Agent#step()").parameterTypes());
    }

    @Test
    void nestedClassesAreWrittenAsTheJvmNamesThem() {
        EntryPoint entryPoint = EntryPoint.parse("com.acme.Outer$Inner#handle");

        assertEquals("com.acme.Outer$Inner", entryPoint.className());
        assertEquals("com/acme/Outer$Inner", entryPoint.internalClassName());
    }

    @Test
    void aListSplitsBetweenMethodsNotBetweenOneMethodsParameters() {
        List<EntryPoint> entryPoints = EntryPoint.parseAll(
                "com.acme.Pipeline#run, com.acme.Agent#step(java.lang.String,int) ,com.acme.Agent#plan(java.util.List)");

        assertEquals(3, entryPoints.size());
        assertEquals("com.acme.Pipeline#run", entryPoints.get(0).toString());
        assertEquals("com.acme.Agent#step(java.lang.String,int)", entryPoints.get(1).toString());
        assertEquals(List.of("java.util.List"), entryPoints.get(2).parameterTypes());
    }

    @Test
    void theConfigurationAcceptsMethodsWithSeveralParametersAndNamesTheBadEntry() {
        assertNull(ValueType.ENTRY_POINTS.problemWith("com.acme.Pipeline#run,com.acme.Agent#step(java.lang.String, int[])", List.of()));
        assertEquals("'com.acme.Agent' is not Class#method or Class#method(param types)",
                ValueType.ENTRY_POINTS.problemWith("com.acme.Pipeline#run, com.acme.Agent", List.of()));
        assertEquals("'' is not Class#method or Class#method(param types)",
                ValueType.ENTRY_POINTS.problemWith("com.acme.Pipeline#run,", List.of()));
    }
}
