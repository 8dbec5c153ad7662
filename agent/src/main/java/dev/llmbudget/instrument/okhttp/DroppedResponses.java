package dev.llmbudget.instrument.okhttp;

import dev.llmbudget.instrument.http.HttpCall;
import java.lang.ref.Cleaner;

/**
 * Charges the reservation of a guarded response the application dropped without reading it to its
 * end or closing it: a permit is never left holding budget forever. Watches the tapped stream, which
 * every view of the body the application can hold (the response, its body, its source, its byte
 * stream) reaches; once it is unreachable, none of them is left. A call already settled ignores it.
 */
final class DroppedResponses {
    private static final Cleaner CLEANER = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "llm-budget-agent-okhttp-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    private DroppedResponses() {
    }

    static void watch(Object tappedBody, HttpCall call) {
        CLEANER.register(tappedBody, new Dropped(call));
    }

    /** Holds no reference to the body it watches. */
    private record Dropped(HttpCall call) implements Runnable {
        @Override
        public void run() {
            call.abandoned("response dropped without being closed");
        }
    }
}
