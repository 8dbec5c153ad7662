package dev.llmbudget.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceTableTest {
    private static final ModelPrice GPT_4O = new ModelPrice("gpt-4o", 2_500_000, 1_250_000, 2_500_000, 10_000_000, 16_384);
    private static final ModelPrice GPT_4O_MAY = new ModelPrice("gpt-4o-2024-05-13", 5_000_000, 5_000_000, 5_000_000, 15_000_000, 4_096);
    private static final ModelPrice GPT_4O_MINI = new ModelPrice("gpt-4o-mini", 150_000, 75_000, 150_000, 600_000, 16_384);
    private static final ModelPrice SONNET = new ModelPrice("claude-sonnet-4", 3_000_000, 300_000, 3_750_000, 15_000_000, 64_000);
    private static final ModelPrice GPT_35 = new ModelPrice("gpt-3.5-turbo", 500_000, 500_000, 500_000, 1_500_000, 4_096);
    private static final ModelPrice CHATGPT = new ModelPrice("chatgpt-4o", 5_000_000, 5_000_000, 5_000_000, 15_000_000, 16_384);

    private final PriceTable table = new PriceTable(Map.of(
            "gpt-4o", GPT_4O, "gpt-4o-2024-05-13", GPT_4O_MAY, "gpt-4o-mini", GPT_4O_MINI,
            "claude-sonnet-4", SONNET, "gpt-3.5-turbo", GPT_35, "chatgpt-4o", CHATGPT));

    @Test
    void findsExactNames() {
        assertSame(GPT_4O, table.find("gpt-4o").orElseThrow());
        assertSame(GPT_4O_MINI, table.find("gpt-4o-mini").orElseThrow());
        assertEquals(6, table.size());
    }

    @Test
    void ignoresCaseAndSurroundingBlanks() {
        assertSame(GPT_4O, table.find("GPT-4o").orElseThrow());
        assertSame(GPT_4O_MINI, table.find(" gpt-4o-mini ").orElseThrow());
    }

    @Test
    void stripsAProviderPrefix() {
        assertSame(GPT_4O, table.find("openai/gpt-4o").orElseThrow());
        assertSame(SONNET, table.find("anthropic/claude-sonnet-4").orElseThrow());
        assertSame(GPT_4O_MINI, table.find("openrouter/openai/gpt-4o-mini").orElseThrow());
    }

    @Test
    void normalisesDatedSnapshotsToTheirModel() {
        assertSame(GPT_4O, table.find("gpt-4o-2024-08-06").orElseThrow());
        assertSame(GPT_4O_MINI, table.find("gpt-4o-mini-2024-07-18").orElseThrow());
        assertSame(SONNET, table.find("claude-sonnet-4-20250514").orElseThrow());
        assertSame(GPT_35, table.find("gpt-3.5-turbo-0125").orElseThrow());
        assertSame(CHATGPT, table.find("chatgpt-4o-latest").orElseThrow());
    }

    @Test
    void providerPrefixAndSnapshotSuffixTogether() {
        assertSame(GPT_4O_MINI, table.find("openai/gpt-4o-mini-2024-07-18").orElseThrow());
        assertSame(SONNET, table.find("Anthropic/Claude-Sonnet-4-20250514").orElseThrow());
    }

    @Test
    void aSnapshotListedUnderItsOwnNameKeepsItsOwnPrice() {
        assertSame(GPT_4O_MAY, table.find("gpt-4o-2024-05-13").orElseThrow());
        assertSame(GPT_4O_MAY, table.find("openai/gpt-4o-2024-05-13").orElseThrow());
    }

    @Test
    void unknownModelsAreEmptyNotFree() {
        assertEquals(Optional.empty(), table.find("gpt-9-ultra"));
        assertEquals(Optional.empty(), table.find("gpt-4o-mini-transcribe"));
        assertEquals(Optional.empty(), table.find("openai/"));
        assertEquals(Optional.empty(), table.find(""));
        assertEquals(Optional.empty(), table.find("   "));
        assertEquals(Optional.empty(), table.find(null));
        // a miss is cached, and stays a miss
        assertEquals(Optional.empty(), table.find("gpt-9-ultra"));
    }

    @Test
    void onlyASuffixThatLooksLikeASnapshotIsStripped() {
        // "-mini" is not a snapshot suffix: gpt-4.1-mini must not fall back to a (hypothetical) gpt-4.1 price
        PriceTable small = new PriceTable(Map.of("gpt-4.1", GPT_4O));
        assertTrue(small.find("gpt-4.1-mini").isEmpty());
        assertTrue(small.find("gpt-4.1-2025-04-14").isPresent());
    }

    @Test
    void overridesTakePrecedenceNameByNameWithoutChangingTheOriginal() {
        ModelPrice cheaper = new ModelPrice("gpt-4o", 1, 1, 1, 1, 0);
        ModelPrice custom = new ModelPrice("my-finetune", 7, 7, 7, 7, 0);
        PriceTable merged = table.overriddenBy(Map.of("GPT-4o", cheaper, "my-finetune", custom));

        assertSame(cheaper, merged.find("gpt-4o").orElseThrow());
        assertSame(cheaper, merged.find("gpt-4o-2024-08-06").orElseThrow());
        assertSame(custom, merged.find("my-finetune").orElseThrow());
        assertSame(GPT_4O_MINI, merged.find("gpt-4o-mini").orElseThrow());
        assertEquals(7, merged.size());

        assertSame(GPT_4O, table.find("gpt-4o").orElseThrow());
        assertTrue(table.find("my-finetune").isEmpty());
    }
}
