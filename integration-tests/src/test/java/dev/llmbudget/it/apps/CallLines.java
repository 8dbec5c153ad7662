package dev.llmbudget.it.apps;

/**
 * How the host applications report each call on stdout for the test to read: {@code CALL ok <what>},
 * {@code CALL refused <class> <message>} or {@code CALL error <class> <message>}. The agent's refusal is
 * known only by class name, as an application without a compile dependency on the agent would know it.
 */
final class CallLines {
    private static final String REFUSAL = "dev.llmbudget.BudgetExceededException";

    private CallLines() {
    }

    /** One call of a host application: what it prints after {@code CALL ok}. */
    interface Call {
        String run() throws Exception;
    }

    static void print(Call call) {
        try {
            System.out.println("CALL ok " + call.run());
        } catch (Exception e) {
            Throwable refusal = refusalIn(e);
            Throwable reported = refusal != null ? refusal : e;
            System.out.println("CALL " + (refusal != null ? "refused " : "error ") + reported.getClass().getName() + " "
                    + oneLine(reported.getMessage()));
        }
    }

    /** The agent's refusal in {@code e} or its causes, or null. */
    static Throwable refusalIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
                if (type.getName().equals(REFUSAL)) {
                    return t;
                }
            }
        }
        return null;
    }

    /**
     * {@code <class> rule=<rule> <message>}: what a host prints after {@code CALL refused}. The rule (the
     * configuration key that decided) is read reflectively, as an application without the agent on its
     * compile class path would read it.
     */
    static String describeRefusal(Throwable refusal) {
        String rule;
        try {
            rule = String.valueOf(refusal.getClass().getMethod("rule").invoke(refusal));
        } catch (ReflectiveOperationException e) {
            rule = "?";
        }
        return refusal.getClass().getName() + " rule=" + rule + " " + oneLine(refusal.getMessage());
    }

    /** {@code CALL refused <class> rule=<rule> <message>} for the agent's refusal in {@code e}, else {@code CALL error <class> <message>}. */
    static String failureLine(Throwable e) {
        Throwable refusal = refusalIn(e);
        return refusal != null ? "CALL refused " + describeRefusal(refusal)
                : "CALL error " + e.getClass().getName() + " " + oneLine(e.getMessage());
    }

    static String oneLine(String message) {
        return String.valueOf(message).replace('\n', ' ');
    }
}
