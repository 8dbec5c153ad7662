package dev.llmbudget.core.limits;

import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.LlmCall;

/**
 * A call as the limits see it before it is sent.
 *
 * @param fingerprint the request's model and messages, hashed: equal for a request sent again
 * @param worstCaseTokens input tokens counted plus the output allowance
 * @param worstCaseMicros the reservation the budgets will be asked for
 */
public record LimitedCall(LlmCall call, CallScope scope, long fingerprint, long worstCaseTokens, long worstCaseMicros) {

    /** What a refusal says the call is, e.g. {@code gpt-4o call}. */
    String what() {
        return call.model() + " call";
    }
}
