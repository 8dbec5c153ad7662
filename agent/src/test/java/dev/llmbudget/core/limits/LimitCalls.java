package dev.llmbudget.core.limits;

import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Run;
import dev.llmbudget.tokens.Prompt;
import java.util.concurrent.atomic.AtomicLong;

/** Calls and a settable clock for the limits' tests. */
final class LimitCalls {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    static LimitedCall call(long fingerprint, CallScope scope) {
        return call("gpt-4o", fingerprint, scope, 100);
    }

    static LimitedCall call(String model, long fingerprint, CallScope scope, long tokens) {
        return new LimitedCall(new LlmCall("openai", "chat.completions", model, Prompt.ofText("x"), 50, 1, true, false, null),
                scope, fingerprint, tokens, 1_000);
    }

    static CallScope inRun(Run run) {
        return new CallScope(run, null);
    }

    static CallScope tenant(String tenant) {
        return new CallScope(null, tenant);
    }

    static CallEnd ok(long tokens) {
        return new CallEnd(CallEnd.Failure.NONE, 1, tokens);
    }

    static CallEnd failed(int attempts) {
        return new CallEnd(CallEnd.Failure.PROVIDER, attempts, 0);
    }

    long now() {
        return nanos.get();
    }

    void advanceMillis(long millis) {
        nanos.addAndGet(millis * 1_000_000L);
    }
}
