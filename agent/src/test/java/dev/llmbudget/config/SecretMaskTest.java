package dev.llmbudget.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretMaskTest {
    @Test
    void urlsKeepEverythingButTheirCredentials() {
        assertEquals("redis://user:***@host:6379", SecretMask.mask("redis://user:pw@host:6379"));
        assertEquals("rediss://:***@host:6380/1", SecretMask.mask("rediss://:pw@host:6380/1"));
        assertEquals("redis://***@host", SecretMask.mask("redis://lonepassword@host"), "Redis reads a lone user-info as the password");
        assertEquals("redis://127.0.0.1:6379", SecretMask.mask("redis://127.0.0.1:6379"));
        assertEquals("redis://user:***@localhost:notaport/0", SecretMask.mask("redis://user:secretpw@localhost:notaport/0"),
                "a URL too broken for a host and port still hides its password");
        assertEquals("http://127.0.0.1:9000/hook?key=***&b=***", SecretMask.mask("http://127.0.0.1:9000/hook?key=abc&b=2"));
        assertEquals("https://discord.com/api/webhooks/123456789012345678/***",
                SecretMask.mask("https://discord.com/api/webhooks/123456789012345678/Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56"));
    }

    @Test
    void keyShapedValuesAreFingerprintedAndOrdinaryValuesKept() {
        assertTrue(SecretMask.mask("sk-proj-abcdefghijklmnop1234").startsWith("sk-…1234#"));
        assertTrue(SecretMask.mask("Bearer abcdefghijklmnop1234").startsWith("…1234#"));
        for (String plain : new String[] {"journal", "llm-budget:", "./llm-budget.journal", "/var/lib/app2024/llm-budget.journal",
                "com.acme.Pipeline#run,com.acme.Agent#step(java.lang.String)", "gpt-4o*,o3*", "0.5,0.8,0.95", "2000000",
                "llm-budget:halt", "Europe/Berlin"}) {
            assertEquals(plain, SecretMask.mask(plain));
        }
    }
}
