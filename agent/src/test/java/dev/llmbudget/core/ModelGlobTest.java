package dev.llmbudget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelGlobTest {

    @ParameterizedTest
    @CsvSource({
            "gpt-4o*, gpt-4o, true",
            "gpt-4o*, gpt-4o-mini, true",
            "gpt-4o*, gpt-4o-2024-08-06, true",
            "gpt-4o*, GPT-4O-MINI, true",
            "gpt-4o*, gpt-4, false",
            "gpt-4o*, chatgpt-4o-latest, false",
            "gpt-4o*, openai/gpt-4o, false",
            "*gpt-4o*, openai/gpt-4o, true",
            "o?-mini, o3-mini, true",
            "o?-mini, o4-mini, true",
            "o?-mini, o-mini, false",
            "o?-mini, o10-mini, false",
            "gpt-4.1, gpt-4.1, true",
            "gpt-4.1, gpt-4x1, false",
            "gpt-4.1, gpt-4.1-mini, false",
            "claude-*-4*, claude-sonnet-4-20250514, true",
            "claude-*-4*, claude-3-haiku, false",
            "*, anything-at-all, true",
            "(a|b)+, (a|b)+, true",
            "(a|b)+, aab, false",
    })
    void matchesWholeNamesCaseInsensitively(String glob, String model, boolean expected) {
        assertEquals(expected, ModelGlob.parse(glob).matches(model), glob + " vs " + model);
    }

    @Test
    void aCommaListMatchesAnyOfItsGlobs() {
        ModelGlob glob = ModelGlob.parse(" gpt-4o* , o3*,,claude-sonnet-4 ");
        assertTrue(glob.matches("gpt-4o-mini"));
        assertTrue(glob.matches("o3"));
        assertTrue(glob.matches("o3-pro"));
        assertTrue(glob.matches("claude-sonnet-4"));
        assertFalse(glob.matches("claude-sonnet-4-5"));
        assertFalse(glob.matches("o4-mini"));
        assertFalse(glob.matches("gpt-5"));
        assertEquals("gpt-4o* , o3*,,claude-sonnet-4", glob.toString());
    }

    @Test
    void aNullModelOnlyMatchesGlobsThatMatchTheEmptyName() {
        assertFalse(ModelGlob.parse("gpt-*").matches(null));
        assertTrue(ModelGlob.parse("*").matches(null));
    }

    @Test
    void anyMatchesEverything() {
        assertTrue(ModelGlob.ANY.matches("gpt-4o"));
        assertTrue(ModelGlob.ANY.matches(""));
        assertTrue(ModelGlob.ANY.matches(null));
        assertEquals("*", ModelGlob.ANY.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ",", " , , "})
    void anEmptyGlobIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> ModelGlob.parse(text));
    }
}
