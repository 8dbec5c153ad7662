package dev.llmbudget.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The price table shipped in the agent jar. */
class BuiltinPricesTest {
    private static final String RESOURCE = "/dev/llmbudget/pricing/builtin-prices.json";

    private static Map<String, ModelPrice> prices;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = PriceFileReader.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " is missing");
            prices = PriceFileReader.read(in);
        }
    }

    @Test
    void pricesGpt4oMini() {
        PriceTable table = new PriceTable(prices);
        ModelPrice mini = table.find("gpt-4o-mini").orElseThrow();
        assertEquals(150_000, mini.inputPerMTok());
        assertEquals(75_000, mini.cachedInputPerMTok());
        assertEquals(600_000, mini.outputPerMTok());
        assertEquals(16_384, mini.maxOutputTokens());
        // 1,000 input + 1,000 output tokens: $0.00015 + $0.0006
        assertEquals(750, mini.worstCaseMicros(1_000, 1_000));
        assertEquals(mini, table.find("openai/gpt-4o-mini-2024-07-18").orElseThrow());
    }

    @Test
    void everyEntryHasAPositiveInputPrice() {
        assertTrue(prices.size() >= 20, "only " + prices.size() + " models");
        prices.forEach((model, price) -> {
            assertTrue(price.inputPerMTok() > 0, model + " has no input price");
            assertTrue(price.outputPerMTok() > 0 || model.startsWith("text-embedding-"), model + " has no output price");
            assertTrue(price.cachedInputPerMTok() <= price.inputPerMTok(), model + ": cached input dearer than input");
        });
    }

    @Test
    void coversTheCommonModels() {
        PriceTable table = new PriceTable(prices);
        for (String model : new String[] {"gpt-4o", "gpt-4.1", "gpt-5", "o3", "o4-mini", "text-embedding-3-small",
                "claude-sonnet-4-20250514", "gemini-2.5-flash"}) {
            assertTrue(table.find(model).isPresent(), model + " has no built-in price");
        }
    }
}
