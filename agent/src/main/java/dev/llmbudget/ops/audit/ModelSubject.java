package dev.llmbudget.ops.audit;

import dev.llmbudget.config.BudgetConfig;
import dev.llmbudget.core.ModelGlob;
import dev.llmbudget.pricing.ModelPrice;
import dev.llmbudget.pricing.PriceTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A model the audit works the worst case out for, and why that one.
 *
 * @param model the name budgets' globs are matched against, or null for "an unpriced model matching {@code glob}"
 * @param glob the {@code match.model} glob it was chosen for, or null
 * @param price its price, or null when its calls are refused ({@code pricing.unknown-model=block})
 * @param label what it is, in words
 */
record ModelSubject(String model, String glob, ModelPrice price, String label) {

    boolean refused() {
        return price == null;
    }

    /** Whether {@code budget} counts this model's calls. */
    boolean countedBy(BudgetConfig budget) {
        if (budget.matchModel() == null) {
            return true;
        }
        if (model != null) {
            return ModelGlob.parse(budget.matchModel()).matches(model);
        }
        return budget.matchModel().trim().equalsIgnoreCase(glob);
    }

    /**
     * The models to audit: the one given with {@code --model}; else, for each glob the budgets name, the
     * dearest model it matches; else the dearest model of the price table. "Dearest" is the highest worst
     * case of one call ({@code perCall}); an unpriced model at the fallback prices is a candidate where
     * {@code pricing.unknown-model=fallback} lets one through.
     *
     * @param fallback the fallback price, or null under {@code pricing.unknown-model=block}
     */
    static List<ModelSubject> resolve(String option, List<BudgetConfig> budgets, PriceTable table, ModelPrice fallback,
                                      ToLongFunction<ModelPrice> perCall) {
        if (option != null) {
            return List.of(given(option, table, fallback));
        }
        Map<String, List<String>> globs = new LinkedHashMap<>();
        for (BudgetConfig budget : budgets) {
            if (budget.matchModel() != null) {
                globs.computeIfAbsent(budget.matchModel().trim(), g -> new ArrayList<>()).add(budget.name());
            }
        }
        Comparator<ModelPrice> cheaper = Comparator.comparingLong(perCall)
                .thenComparing(ModelPrice::model, Comparator.reverseOrder());
        if (globs.isEmpty()) {
            ModelPrice dearest = table.models().values().stream().max(cheaper).orElse(null);
            String why = "(no --model given and no budget names a model; pass --model for yours)";
            if (fallback != null && (dearest == null || cheaper.compare(fallback, dearest) > 0)) {
                return List.of(new ModelSubject(null, null, fallback, "an unpriced model at the fallback prices, dearer than each of the "
                        + table.size() + " priced models " + why));
            }
            if (dearest == null) {
                return List.of(new ModelSubject(null, null, null, "no model: the price table is empty and unpriced models are refused"));
            }
            return List.of(new ModelSubject(dearest.model(), null, dearest,
                    dearest.model() + ": the dearest of the " + table.size() + " priced models " + why));
        }
        List<ModelSubject> subjects = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : globs.entrySet()) {
            subjects.add(dearestMatching(entry.getKey(), entry.getValue(), table, fallback, cheaper));
        }
        return subjects;
    }

    private static ModelSubject given(String option, PriceTable table, ModelPrice fallback) {
        Optional<ModelPrice> price = table.find(option);
        if (price.isPresent()) {
            String as = price.get().model().equalsIgnoreCase(option) ? "" : ", priced as " + price.get().model();
            return new ModelSubject(option, null, price.get(), option + " (--model" + as + ")");
        }
        if (fallback != null) {
            return new ModelSubject(option, null, fallback, option + " (--model): not in the price table, priced at the fallback"
                    + " prices (pricing.unknown-model=fallback)");
        }
        return new ModelSubject(option, null, null, option + " (--model): not in the price table; pricing.unknown-model=block"
                + " refuses its calls");
    }

    private static ModelSubject dearestMatching(String glob, List<String> budgetNames, PriceTable table, ModelPrice fallback,
                                                Comparator<ModelPrice> cheaper) {
        ModelGlob matcher = ModelGlob.parse(glob);
        List<ModelPrice> matching = table.models().entrySet().stream()
                .filter(entry -> matcher.matches(entry.getKey())).map(Map.Entry::getValue).toList();
        String named = "match.model=" + glob + " (budget " + String.join(", ", budgetNames) + ")";
        ModelPrice dearest = matching.stream().max(cheaper).orElse(null);
        if (fallback != null && couldMatchUnpriced(glob, table) && (dearest == null || cheaper.compare(fallback, dearest) > 0)) {
            return new ModelSubject(null, glob, fallback, "an unpriced model matching " + named
                    + ", at the fallback prices (pricing.unknown-model=fallback)");
        }
        if (dearest == null) {
            return new ModelSubject(null, glob, null, "no priced model matches " + named
                    + "; pricing.unknown-model=block refuses calls to unpriced models");
        }
        return new ModelSubject(dearest.model(), glob, dearest, dearest.model() + ": the dearest of the " + matching.size()
                + " priced models matching " + named);
    }

    /** Whether a model the table does not price can match: a wildcard, or a name the table does not have. */
    private static boolean couldMatchUnpriced(String glob, PriceTable table) {
        for (String part : glob.split(",")) {
            String name = part.trim();
            if (!name.isEmpty() && (name.contains("*") || name.contains("?") || table.find(name).isEmpty())) {
                return true;
            }
        }
        return false;
    }
}
