package dev.llmbudget.core.limits;

import dev.llmbudget.LoopDetectedException;
import dev.llmbudget.core.Durations;
import dev.llmbudget.core.Run;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code limits.loop.*}: an agent that asks the same thing again, or two agents that hand the same two
 * requests back and forth (the seeds' Analyzer and Verifier, for eleven days). Within a run the whole
 * run's recent history counts; outside runs, each tenant's requests within {@code limits.loop.window}.
 */
final class LoopDetector implements CallLimit {
    static final String IDENTICAL_KEY = "limits.loop.identical-requests";
    static final String PING_PONG_KEY = "limits.loop.ping-pong";
    private static final int MAX_TENANTS = 10_000;

    private final long identical;
    private final long pingPong;
    private final Duration window;
    private final ConcurrentHashMap<String, RequestHistory> outsideRuns = new ConcurrentHashMap<>();

    LoopDetector(long identical, long pingPong, Duration window) {
        this.identical = identical;
        this.pingPong = pingPong;
        this.window = window;
    }

    @Override
    public Ticket admit(LimitedCall call, long nowNanos) {
        Run run = call.scope().run();
        RequestHistory history;
        long since;
        String where;
        if (run != null) {
            history = run.state(LoopDetector.class, owner -> new RequestHistory());
            // the whole (remembered) run
            since = nowNanos - Long.MAX_VALUE / 2;
            where = "run " + run;
        } else {
            String tenant = call.scope().tenant() == null ? "" : call.scope().tenant();
            if (outsideRuns.size() > MAX_TENANTS) {
                outsideRuns.clear();
            }
            history = outsideRuns.computeIfAbsent(tenant, name -> new RequestHistory());
            since = nowNanos - window.toNanos();
            where = (tenant.isEmpty() ? "calls outside any run" : "tenant " + tenant + " outside any run")
                    + " within " + Durations.format(window);
        }
        long fingerprint = call.fingerprint();
        if (identical > 0) {
            int seen = history.countSince(fingerprint, since);
            if (seen + 1 >= identical) {
                throw new LoopDetectedException("llm-budget-agent refused this " + call.what() + " before sending it: it is the "
                        + (seen + 1) + "th identical request (same model and messages) in " + where + "; " + IDENTICAL_KEY + "="
                        + identical + " refuses the " + identical + "th. An agent asking the same thing again is looping;"
                        + " raise " + IDENTICAL_KEY + " if it is not.", IDENTICAL_KEY, seen + 1, identical,
                        run != null ? run.id() : where, call.worstCaseMicros());
            }
        }
        if (pingPong > 0) {
            int repeats = history.alternationsEndingWith(fingerprint, since);
            if (repeats >= pingPong) {
                throw new LoopDetectedException("llm-budget-agent refused this " + call.what() + " before sending it: two requests"
                        + " have alternated " + repeats + " times in " + where + " (A, B, A, B, ...: agents handing the same"
                        + " work back and forth); " + PING_PONG_KEY + "=" + pingPong + ". Raise " + PING_PONG_KEY
                        + " if the exchange is meant to go on.", PING_PONG_KEY, repeats, pingPong,
                        run != null ? run.id() : where, call.worstCaseMicros());
            }
        }
        long position = history.add(fingerprint, nowNanos);
        return new Ticket() {
            @Override
            public void end(CallEnd end) {
            }

            @Override
            public void cancel() {
                history.forget(position);
            }
        };
    }
}
