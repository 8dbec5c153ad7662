package dev.llmbudget.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceFileReaderTest {
    /** A cut-down model_prices_and_context_window.json as LiteLLM publishes it. */
    private static final String LITELLM = """
            {
              "sample_spec": {
                "max_tokens": "LEGACY parameter. set to max_output_tokens if provider specifies it.",
                "input_cost_per_token": 0.0000,
                "output_cost_per_token": 0.000,
                "litellm_provider": "one of https://docs.litellm.ai/docs/providers",
                "mode": "one of: chat, embedding, completion, image_generation"
              },
              "gpt-4o": {
                "max_tokens": 16384,
                "max_input_tokens": 128000,
                "max_output_tokens": 16384,
                "input_cost_per_token": 2.5e-06,
                "output_cost_per_token": 1e-05,
                "cache_read_input_token_cost": 1.25e-06,
                "litellm_provider": "openai",
                "mode": "chat",
                "supports_vision": true
              },
              "gpt-4o-mini": {
                "max_output_tokens": 16384,
                "input_cost_per_token": 0.00000015,
                "output_cost_per_token": 0.0000006,
                "cache_read_input_token_cost": 0.000000075,
                "litellm_provider": "openai",
                "mode": "chat"
              },
              "claude-sonnet-4-20250514": {
                "max_output_tokens": 64000,
                "input_cost_per_token": 3e-06,
                "output_cost_per_token": 1.5e-05,
                "cache_creation_input_token_cost": 3.75e-06,
                "cache_read_input_token_cost": 3e-07,
                "litellm_provider": "anthropic",
                "mode": "chat"
              },
              "text-embedding-3-small": {
                "max_input_tokens": 8191,
                "input_cost_per_token": 2e-08,
                "output_cost_per_token": 0.0,
                "litellm_provider": "openai",
                "mode": "embedding"
              },
              "dall-e-3": {
                "input_cost_per_pixel": 4.0054321e-08,
                "output_cost_per_pixel": 0.0,
                "litellm_provider": "openai",
                "mode": "image_generation"
              },
              "whisper-1": {
                "input_cost_per_second": 0.0001,
                "output_cost_per_second": 0.0001,
                "litellm_provider": "openai",
                "mode": "audio_transcription"
              },
              "half-priced": {
                "input_cost_per_token": 1e-06,
                "output_cost_per_token": null
              },
              "not-an-object": "ignored"
            }
            """;

    @TempDir
    Path dir;

    private Map<String, ModelPrice> readFile(String json) throws IOException {
        Path file = dir.resolve("model_prices_and_context_window.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        try (InputStream in = Files.newInputStream(file)) {
            return PriceFileReader.read(in);
        }
    }

    @Test
    void readsTokenPricesAsExactMicrosPerMillion() throws IOException {
        Map<String, ModelPrice> prices = readFile(LITELLM);

        assertEquals(new ModelPrice("gpt-4o", 2_500_000, 1_250_000, 2_500_000, 10_000_000, 16_384), prices.get("gpt-4o"));
        assertEquals(new ModelPrice("gpt-4o-mini", 150_000, 75_000, 150_000, 600_000, 16_384), prices.get("gpt-4o-mini"));
        assertEquals(new ModelPrice("claude-sonnet-4-20250514", 3_000_000, 300_000, 3_750_000, 15_000_000, 64_000),
                prices.get("claude-sonnet-4-20250514"));
    }

    @Test
    void cachePricesDefaultToTheInputPriceAndMaxOutputToZero() throws IOException {
        ModelPrice embedding = readFile(LITELLM).get("text-embedding-3-small");
        assertEquals(new ModelPrice("text-embedding-3-small", 20_000, 20_000, 20_000, 0, 0), embedding);
    }

    @Test
    void skipsSampleSpecAndEntriesWithoutTokenPrices() throws IOException {
        Map<String, ModelPrice> prices = readFile(LITELLM);
        assertEquals(4, prices.size(), prices.keySet().toString());
        for (String skipped : new String[] {"sample_spec", "dall-e-3", "whisper-1", "half-priced", "not-an-object"}) {
            assertFalse(prices.containsKey(skipped), skipped);
        }
    }

    @Test
    void anEmptyObjectIsAnEmptyTable() throws IOException {
        assertTrue(readFile("{}").isEmpty());
    }

    @Test
    void malformedJsonIsAnIOException() {
        assertThrows(IOException.class, () -> readFile("{\"gpt-4o\": {\"input_cost_per_token\": 2.5e-06,"));
        assertThrows(IOException.class, () -> readFile("not json at all"));
    }

    @Test
    void aTopLevelThatIsNotAnObjectIsExplained() {
        IOException e = assertThrows(IOException.class, () -> readFile("[{\"gpt-4o\": {}}]"));
        assertTrue(e.getMessage().contains("LiteLLM format"), e.getMessage());
        IOException empty = assertThrows(IOException.class, () -> readFile(""));
        assertTrue(empty.getMessage().contains("expected a JSON object"), empty.getMessage());
    }

    @Test
    void aPriceThatIsNotANumberNamesTheModelAndField() {
        IOException e = assertThrows(IOException.class, () -> readFile("""
                {"my-model": {"input_cost_per_token": "0.000001", "output_cost_per_token": 2e-06}}
                """));
        assertTrue(e.getMessage().contains("my-model"), e.getMessage());
        assertTrue(e.getMessage().contains("input_cost_per_token"), e.getMessage());
    }

    @Test
    void aNegativePriceIsRefused() {
        IOException e = assertThrows(IOException.class, () -> readFile("""
                {"my-model": {"input_cost_per_token": 1e-06, "output_cost_per_token": -2e-06}}
                """));
        assertTrue(e.getMessage().contains("my-model") && e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void aCacheReadPriceThatIsNotANumberIsRefused() {
        IOException e = assertThrows(IOException.class, () -> readFile("""
                {"my-model": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,
                              "cache_read_input_token_cost": true}}
                """));
        assertTrue(e.getMessage().contains("cache_read_input_token_cost"), e.getMessage());
    }

    @Test
    void pricesFinerThanOnePicoUsdPerTokenRoundUp() throws IOException {
        ModelPrice price = readFile("""
                {"tiny": {"input_cost_per_token": 1.5e-13, "output_cost_per_token": 1e-13}}
                """).get("tiny");
        assertEquals(1, price.outputPerMTok());
        assertEquals(1, price.inputPerMTok());
    }
}
