package dev.llmbudget.instrument.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URL;
import java.net.URLClassLoader;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Against Log4j 2's real {@code ThreadContext} (test dependencies). The test class path's slf4j is the
 * agent's own 1.7 with its no-op binding, whose MDC holds nothing: the reader goes on to Log4j, as in a
 * host whose MDC is empty. The host's SLF4J 2 MDC is read in {@code RunsIT}, through the shaded jar.
 */
class TenantMdcTest {

    @AfterEach
    void clearContext() {
        ThreadContext.clearMap();
    }

    @Test
    void readsTheTenantFromLog4jsThreadContextOfTheCallingThread() throws Exception {
        ThreadContext.put("tenantId", "acme");
        TenantMdc tenants = new TenantMdc("tenantId");

        assertEquals("acme", tenants.current());
        assertNull(new TenantMdc("userId").current(), "another key");
        Thread other = new Thread(() -> assertNull(tenants.current(), "another thread's context"));
        other.start();
        other.join();
    }

    @Test
    void aBlankValueIsNoTenant() {
        ThreadContext.put("tenantId", "  ");

        assertNull(new TenantMdc("tenantId").current());
    }

    @Test
    void aClassLoaderWithoutSlf4jOrLog4jReadsNothingAndThrowsNothing() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            ThreadContext.put("tenantId", "acme");

            assertNull(TenantMdc.read(empty, "tenantId"));
            assertNull(TenantMdc.read(empty, "tenantId"), "absence is remembered, and still nothing thrown");
        }
    }

    @Test
    void theThreadsContextClassLoaderDecidesWhoseMdcIsRead() throws Exception {
        // an application server: the web application's own Log4j, beside the one on the system class path
        URL log4jApi = ThreadContext.class.getProtectionDomain().getCodeSource().getLocation();
        URL log4jCore = org.apache.logging.log4j.core.LoggerContext.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader webApp = new URLClassLoader(new URL[] {log4jApi, log4jCore}, ClassLoader.getPlatformClassLoader())) {
            Class<?> webAppContext = webApp.loadClass(ThreadContext.class.getName());
            assertNotSame(ThreadContext.class, webAppContext);
            webAppContext.getMethod("put", String.class, String.class).invoke(null, "tenantId", "web-app-tenant");
            ThreadContext.put("tenantId", "system-tenant");

            Thread.currentThread().setContextClassLoader(webApp);
            String inWebApp = new TenantMdc("tenantId").current();
            Thread.currentThread().setContextClassLoader(previous);
            String outside = new TenantMdc("tenantId").current();

            assertEquals("web-app-tenant", inWebApp);
            assertEquals("system-tenant", outside);
            webAppContext.getMethod("clearMap").invoke(null);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void theSlf4jClassNameSurvivesTheShadePluginsRelocation() {
        // the literal would be rewritten to dev.llmbudget.shaded.slf4j.MDC in the agent jar
        assertEquals("org.slf4j.MDC", TenantMdc.SLF4J_MDC);
    }
}
