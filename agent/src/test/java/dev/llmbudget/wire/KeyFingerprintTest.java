package dev.llmbudget.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyFingerprintTest {
    private static final String PROJECT_KEY =
            "sk-proj-Xq7vLw2bN9tRkE4mZ0aYcH6uJ1pS8dF3gK5iO2nB7vC9xM4lQ0wE6rT1yU3hG8jD-AbCd";
    private static final String ANTHROPIC_KEY = "sk-ant-api03-Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5-WxYz";

    @Test
    void neverContainsTheKey() {
        for (String key : new String[] {PROJECT_KEY, ANTHROPIC_KEY, "abcdefghijklmnop", "sk-short"}) {
            String fingerprint = KeyFingerprint.of(key);
            assertFalse(fingerprint.contains(key), fingerprint);
            assertTrue(fingerprint.length() <= 20, fingerprint);
        }
    }

    @Test
    void showsOnlyThePrefixTheLastFourAndAHash() {
        String fingerprint = KeyFingerprint.of(PROJECT_KEY);
        assertTrue(fingerprint.matches("sk-…AbCd#[0-9a-f]{4}"), fingerprint);
        // nothing of the secret middle of the key appears
        String middle = PROJECT_KEY.substring(3, PROJECT_KEY.length() - 4);
        for (int i = 0; i + 5 <= middle.length(); i++) {
            assertFalse(fingerprint.contains(middle.substring(i, i + 5)), fingerprint);
        }
        assertTrue(KeyFingerprint.of(ANTHROPIC_KEY).matches("sk-…WxYz#[0-9a-f]{4}"), KeyFingerprint.of(ANTHROPIC_KEY));
    }

    @Test
    void shortKeysShowNoCharactersAtAll() {
        assertTrue(KeyFingerprint.of("sk-short").matches("sk-…#[0-9a-f]{4}"), KeyFingerprint.of("sk-short"));
        assertTrue(KeyFingerprint.of("hunter2").matches("…#[0-9a-f]{4}"), KeyFingerprint.of("hunter2"));
    }

    @Test
    void isStable() {
        String first = KeyFingerprint.of(PROJECT_KEY);
        assertEquals(first, KeyFingerprint.of(PROJECT_KEY));
        assertEquals(first, KeyFingerprint.of(new String(PROJECT_KEY.toCharArray())));
        // the hash is SHA-256 of the key, not of a per-JVM salt: fingerprints compare across runs
        assertEquals("…#9f86", KeyFingerprint.of("test"));
    }

    @Test
    void keysThatLookAlikeGetDifferentFingerprints() {
        String other = PROJECT_KEY.replace("Xq7v", "Xq7w");
        assertNotEquals(KeyFingerprint.of(PROJECT_KEY), KeyFingerprint.of(other));
    }

    @Test
    void readsTheKeyOutOfAnAuthorizationHeader() {
        assertEquals(KeyFingerprint.of(PROJECT_KEY), KeyFingerprint.ofHeader("Bearer " + PROJECT_KEY));
        assertEquals(KeyFingerprint.of(PROJECT_KEY), KeyFingerprint.ofHeader("bearer   " + PROJECT_KEY + "  "));
        assertEquals(KeyFingerprint.of(PROJECT_KEY), KeyFingerprint.ofHeader(PROJECT_KEY));
        assertFalse(KeyFingerprint.ofHeader("Bearer " + PROJECT_KEY).contains(PROJECT_KEY));
    }

    @Test
    void noKeyNoFingerprint() {
        assertNull(KeyFingerprint.ofHeader(null));
        assertNull(KeyFingerprint.ofHeader(""));
        assertNull(KeyFingerprint.ofHeader("   "));
        assertNull(KeyFingerprint.ofHeader("Bearer "));
        assertNull(KeyFingerprint.ofHeader("Bearer    "));
        assertNull(KeyFingerprint.ofHeader("bearer"));
    }

    @Test
    void onlyTheBearerSchemeIsStripped() {
        // a key that merely starts with the letters "Bearer" is a key
        assertEquals(KeyFingerprint.of("BearerTokenThatIsLong1234"), KeyFingerprint.ofHeader("BearerTokenThatIsLong1234"));
        assertEquals(KeyFingerprint.of(PROJECT_KEY), KeyFingerprint.ofHeader("Bearer\t" + PROJECT_KEY));
    }
}
