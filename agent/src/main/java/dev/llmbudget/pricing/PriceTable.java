package dev.llmbudget.pricing;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Model name → list price. Lookup is exact first, then forgiving in the ways model names vary
 * without changing price: case, a {@code provider/} prefix ({@code openai/gpt-4o}), and a snapshot
 * suffix ({@code gpt-4o-mini-2024-07-18}, {@code claude-sonnet-4-20250514}, {@code -latest}). A dated
 * snapshot whose price differs is listed under its own name and found by the exact step first.
 */
public final class PriceTable {
    private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile("(-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|-\\d{4}|-latest)$");
    private static final ModelPrice NONE = new ModelPrice("", 0, 0, 0, 0, 0);

    private final Map<String, ModelPrice> byName;
    /** Resolved lookups, including misses, so a hot call path does not redo the normalisation. */
    private final Map<String, ModelPrice> resolved = new ConcurrentHashMap<>();

    public PriceTable(Map<String, ModelPrice> byName) {
        Map<String, ModelPrice> lower = new HashMap<>();
        byName.forEach((name, price) -> lower.put(name.toLowerCase(Locale.ROOT), price));
        this.byName = Map.copyOf(lower);
    }

    /** This table with {@code overrides} taking precedence name by name. */
    public PriceTable overriddenBy(Map<String, ModelPrice> overrides) {
        Map<String, ModelPrice> merged = new HashMap<>(byName);
        overrides.forEach((name, price) -> merged.put(name.toLowerCase(Locale.ROOT), price));
        return new PriceTable(merged);
    }

    public Optional<ModelPrice> find(String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        ModelPrice price = resolved.computeIfAbsent(model, this::resolve);
        return price == NONE ? Optional.empty() : Optional.of(price);
    }

    public int size() {
        return byName.size();
    }

    /** Every priced model, keyed by its name in lower case (the CLI's {@code audit} looks for the dearest). */
    public Map<String, ModelPrice> models() {
        return byName;
    }

    private ModelPrice resolve(String model) {
        String name = model.trim().toLowerCase(Locale.ROOT);
        ModelPrice price = byName.get(name);
        if (price == null) {
            int slash = name.lastIndexOf('/');
            if (slash >= 0) {
                price = byName.get(name.substring(slash + 1));
                name = name.substring(slash + 1);
            }
        }
        if (price == null) {
            String undated = SNAPSHOT_SUFFIX.matcher(name).replaceFirst("");
            if (!undated.equals(name)) {
                price = byName.get(undated);
            }
        }
        return price == null ? NONE : price;
    }
}
