package dev.llmbudget.ops.jmx;

import dev.llmbudget.core.HaltSwitch;
import java.time.Instant;

/**
 * What the agent's control MBean shows of the running agent and asks of it: implemented by the runtime, asked
 * on a JMX client's thread, each time a client reads an attribute. Implementations return at once (but
 * {@link #reload()}) and never hold a lock the guarded calls need.
 */
public interface AgentStatus {
    /** {@code enforce} or {@code shadow}: the configuration's {@code mode} now. */
    String mode();

    /** The configuration file in force, as a path, or null when none was found (defaults and overrides only). */
    String configFile();

    /** When the configuration was last reloaded (applied or rejected), or null if it never was. */
    Instant lastReload();

    /**
     * What the last reload did: {@code applied: <what changed>} or {@code rejected: <first problem>}; null if
     * it never ran.
     */
    String lastReloadResult();

    /** Reads the configuration file again and applies it if valid; the outcome, as {@link #lastReloadResult()} then says it. */
    String reload();

    /** Every kill switch checked on each call now (the JMX one among them); a reload may change them. */
    HaltSwitch halts();

    /** The status of a runtime that cannot reload: only its kill switches, for callers that know nothing else. */
    static AgentStatus of(HaltSwitch halts) {
        return new AgentStatus() {
            @Override
            public String mode() {
                return null;
            }

            @Override
            public String configFile() {
                return null;
            }

            @Override
            public Instant lastReload() {
                return null;
            }

            @Override
            public String lastReloadResult() {
                return null;
            }

            @Override
            public String reload() {
                return "not available: this agent was wired without configuration reload";
            }

            @Override
            public HaltSwitch halts() {
                return halts;
            }
        };
    }
}
