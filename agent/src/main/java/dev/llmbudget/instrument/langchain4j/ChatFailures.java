package dev.llmbudget.instrument.langchain4j;

import dev.llmbudget.core.Permit;
import dev.llmbudget.instrument.FailedCalls;

/**
 * Settles a LangChain4j call that ended in an exception. The provider modules report an HTTP error
 * status as {@code dev.langchain4j.exception.HttpException} (usually wrapped by the exception mapper,
 * e.g. in an {@code InternalServerException}): the provider answered and billed nothing, so the
 * reservation is released, as the SDK layers do for a status of 400 or more. Anything else is
 * {@link FailedCalls}' decision: released if it surely never reached the provider, else charged.
 */
final class ChatFailures {
    private static final String HTTP_EXCEPTION = "dev.langchain4j.exception.HttpException";
    private static final int MAX_CAUSE_DEPTH = 16;

    private ChatFailures() {
    }

    static void finish(Permit permit, Throwable error) {
        int status = httpStatus(error);
        if (status >= 400) {
            permit.httpError(status);
        } else {
            FailedCalls.finish(permit, error);
        }
    }

    /** The status of the first HTTP error in the cause chain, or 0. */
    static int httpStatus(Throwable error) {
        Throwable cause = error;
        for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++, cause = cause.getCause()) {
            if (isHttpException(cause.getClass())) {
                return (int) Reflect.count(Reflect.callIfPresent(cause, "statusCode"));
            }
        }
        return 0;
    }

    private static boolean isHttpException(Class<?> type) {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            if (current.getName().equals(HTTP_EXCEPTION)) {
                return true;
            }
        }
        return false;
    }
}
