package dev.llmbudget.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The store's Lua scripts, each one atomic operation on the server. Each is sent once with SCRIPT LOAD and then
 * called by its SHA-1 with EVALSHA, so a call sends only its keys and arguments. Redis forgets scripts on restart
 * or SCRIPT FLUSH: a NOSCRIPT answer loads the script again and retries once.
 *
 * <p>The contracts (KEYS, ARGV, replies) are documented at the top of each script under
 * {@code dev/llmbudget/store/redis/*.lua}.
 */
final class RedisScripts {

    /** One script: its text and the SHA-1 Redis will know it by (computed here, so no round trip is needed to learn it). */
    static final class Script {
        final String name;
        final String text;
        final String sha1;

        private Script(String name) {
            this.name = name;
            this.text = resource(name + ".lua");
            this.sha1 = sha1(text);
        }

        @Override
        public String toString() {
            return name + ".lua";
        }
    }

    /** Sweep expired reservations, check the kill switch, check every account, hold in every account. */
    final Script reserve = new Script("reserve");
    /** Settle or release one reservation, idempotently. */
    final Script finish = new Script("finish");
    /** Add one settlement of the local fallback store, idempotently. */
    final Script apply = new Script("apply");
    /** Spent and held summed over an account's keys. */
    final Script balance = new Script("balance");

    private final List<Script> all = List.of(reserve, finish, apply, balance);

    /** Loads every script; called when Redis is (again) reachable, so that calls need not meet NOSCRIPT. */
    void loadAll(UnifiedJedis redis) {
        for (Script script : all) {
            load(redis, script);
        }
    }

    Object run(UnifiedJedis redis, Script script, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(script.sha1, keys, args);
        } catch (JedisNoScriptException e) {
            load(redis, script);
            return redis.evalsha(script.sha1, keys, args);
        }
    }

    private static void load(UnifiedJedis redis, Script script) {
        String sha1 = redis.scriptLoad(script.text);
        if (!script.sha1.equalsIgnoreCase(sha1)) {
            throw new IllegalStateException("Redis knows " + script + " as " + sha1 + ", expected " + script.sha1);
        }
    }

    private static String resource(String name) {
        try (InputStream in = RedisScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the agent jar lacks dev/llmbudget/store/redis/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dev/llmbudget/store/redis/" + name, e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1", e);
        }
    }
}
