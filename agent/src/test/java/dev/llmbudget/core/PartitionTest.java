package dev.llmbudget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbudget.tokens.Prompt;
import dev.llmbudget.wire.KeyFingerprint;
import org.junit.jupiter.api.Test;

class PartitionTest {
    private static final String KEY = "sk-proj-verysecretkeyvalue1234abcd";

    private static LlmCall call(String model, String fingerprint) {
        return new LlmCall("openai", "chat.completions", model, Prompt.ofText("hi"), 10, 1, true, false, fingerprint);
    }

    @Test
    void eachPartitionNamesItsAccountByItsValue() {
        LlmCall call = call("gpt-4o", KeyFingerprint.of(KEY));
        assertEquals("global", Partition.GLOBAL.keyPartOf(call, CallScope.NONE));
        assertEquals("model=gpt-4o", Partition.MODEL.keyPartOf(call, CallScope.NONE));
        String byKey = Partition.API_KEY.keyPartOf(call, CallScope.NONE);
        assertTrue(byKey.startsWith("key=sk-"), byKey);
        assertFalse(byKey.contains("verysecret"), "never the key itself: " + byKey);
        assertTrue(byKey.matches("key=[A-Za-z0-9._%-]+"), "only characters safe in a store key: " + byKey);
        assertEquals("key=none", Partition.API_KEY.keyPartOf(call("gpt-4o", null), CallScope.NONE));
    }

    @Test
    void tenantAndTaskPartitionsNameTheirValueAndShareOneAccountWithoutOne() {
        LlmCall call = call("gpt-4o", null);
        Run run = Run.open("com.acme.Pipeline#run");
        CallScope scope = new CallScope(run, "acme corp");
        assertEquals("tenant=acme%20corp", Partition.TENANT.keyPartOf(call, scope));
        assertEquals("task=" + run.id(), Partition.TASK.keyPartOf(call, scope));
        assertEquals("tenant=%28none%29", Partition.TENANT.keyPartOf(call, CallScope.NONE));
        assertEquals("task=%28none%29", Partition.TASK.keyPartOf(call, CallScope.NONE));
        assertEquals(" for tenant acme corp", Partition.TENANT.describe(call, scope));
        assertTrue(Partition.TASK.describe(call, scope).contains("com.acme.Pipeline#run"));
        assertEquals(Partition.TENANT, Partition.parse("tenant"));
        assertEquals(Partition.TASK, Partition.parse("task"));
    }

    @Test
    void valuesThatCouldBreakAKeyAreEncoded() {
        assertEquals("a%2Fb%20c%23%E2%80%A6%F0%9F%98%80", Partition.encode("a/b c#…😀"));
        assertEquals("gpt-4o-mini_2024.07", Partition.encode("gpt-4o-mini_2024.07"));
    }

    @Test
    void configNamesParse() {
        assertEquals(Partition.API_KEY, Partition.parse(" API-KEY "));
        assertEquals(Partition.MODEL, Partition.parse("model"));
        assertEquals(Partition.GLOBAL, Partition.parse("global"));
    }
}
