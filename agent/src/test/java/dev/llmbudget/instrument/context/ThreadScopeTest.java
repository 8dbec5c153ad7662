package dev.llmbudget.instrument.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmbudget.core.CallScope;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadScopeTest {

    @AfterEach
    void clearContext() {
        ThreadContext.clearMap();
    }

    @Test
    void outsideAnyRunAndWithoutATenantTheScopeIsNone() {
        ThreadContext.put("tenantId", "acme");

        assertSame(CallScope.NONE, new ThreadScope(null).current(), "no tenant key configured: the MDC is not read");
        assertSame(CallScope.NONE, new ThreadScope("userId").current());
    }

    @Test
    void theScopeIsTheThreadsRunAndTheTenantInItsMdc() {
        ThreadContext.put("tenantId", "acme");
        ThreadScope scopes = new ThreadScope("tenantId");

        Object token = RunContext.enter("com.acme.Pipeline#run");
        CallScope inRun = scopes.current();
        RunContext.exit(token);
        CallScope afterRun = scopes.current();

        assertEquals("com.acme.Pipeline#run", inRun.run().entryPoint());
        assertEquals("acme", inRun.tenant());
        assertNull(afterRun.run());
        assertEquals("acme", afterRun.tenant());
    }
}
