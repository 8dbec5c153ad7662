package dev.llmbudget.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads prices in the format of LiteLLM's {@code model_prices_and_context_window.json}, which many
 * teams already keep current: an object of model name → {@code input_cost_per_token},
 * {@code output_cost_per_token}, {@code cache_read_input_token_cost},
 * {@code cache_creation_input_token_cost}, {@code max_output_tokens} (USD per token). Entries
 * without token prices (image, audio, per-request pricing) and LiteLLM's {@code sample_spec} are
 * skipped. Numbers are read as {@link BigDecimal}, never as double.
 */
public final class PriceFileReader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private PriceFileReader() {
    }

    public static Map<String, ModelPrice> read(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        if (root == null || !root.isObject()) {
            throw new IOException("expected a JSON object of model name to prices (LiteLLM format)");
        }
        Map<String, ModelPrice> prices = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String model = entry.getKey();
            JsonNode spec = entry.getValue();
            if ("sample_spec".equals(model) || !spec.isObject()
                    || !spec.hasNonNull("input_cost_per_token") || !spec.hasNonNull("output_cost_per_token")) {
                continue;
            }
            long input = perMTok(spec, "input_cost_per_token", model);
            long output = perMTok(spec, "output_cost_per_token", model);
            long cachedRead = spec.hasNonNull("cache_read_input_token_cost")
                    ? perMTok(spec, "cache_read_input_token_cost", model) : input;
            long cacheWrite = spec.hasNonNull("cache_creation_input_token_cost")
                    ? perMTok(spec, "cache_creation_input_token_cost", model) : input;
            long maxOutput = spec.path("max_output_tokens").canConvertToLong() ? spec.path("max_output_tokens").asLong() : 0;
            prices.put(model, new ModelPrice(model, input, cachedRead, cacheWrite, output, Math.max(0, maxOutput)));
        }
        return prices;
    }

    private static long perMTok(JsonNode spec, String field, String model) throws IOException {
        JsonNode value = spec.get(field);
        if (!value.isNumber()) {
            throw new IOException("model '" + model + "': " + field + " is not a number: " + value);
        }
        BigDecimal usdPerToken = value.decimalValue();
        if (usdPerToken.signum() < 0) {
            throw new IOException("model '" + model + "': " + field + " is negative: " + value);
        }
        return Money.perTokenUsdToMicrosPerMTok(usdPerToken);
    }
}
