package dev.llmbudget;

/**
 * The agent failed internally while guarding a call and {@code on-internal-error=block} says such a
 * call must not go out unguarded. With the default ({@code allow}) the call proceeds instead and the
 * ledger marks it {@code unguarded}.
 */
public class GuardFailureException extends BudgetExceededException {
    private static final long serialVersionUID = 1L;

    public GuardFailureException(String message, Throwable cause) {
        super(message, "on-internal-error", 0);
        initCause(cause);
    }
}
