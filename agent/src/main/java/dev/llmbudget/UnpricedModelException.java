package dev.llmbudget;

/**
 * The call names a model that has no price in the built-in table or the user's price file, and
 * {@code pricing.unknown-model=block} (the default): an unknown model is never treated as free.
 */
public class UnpricedModelException extends BudgetExceededException {
    private static final long serialVersionUID = 1L;

    private final String model;

    public UnpricedModelException(String message, String model) {
        super(message, "pricing.unknown-model", 0);
        this.model = model;
    }

    /** The model name as the request gave it. */
    public String model() {
        return model;
    }
}
