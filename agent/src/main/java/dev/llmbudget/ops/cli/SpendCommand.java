package dev.llmbudget.ops.cli;

import dev.llmbudget.agent.SpendStores;
import dev.llmbudget.config.StoreConfig;
import dev.llmbudget.pricing.Money;
import dev.llmbudget.store.SpendStore;
import dev.llmbudget.store.SpendStore.AccountBalance;
import dev.llmbudget.store.StoreException;
import dev.llmbudget.store.journal.JournalStore;
import dev.llmbudget.store.redis.RedisOptions;
import dev.llmbudget.store.redis.RedisStore;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code spend [file]}: what the configured store holds, one row per account (budget / partition /
 * window): spent, held by calls in flight, and until when it counts (the end of its window; for a
 * bucket of a rolling window, the end of the last window it is part of). Reads a journal without locking or
 * changing it, so it works on the journal of a running JVM or of one that was killed; there, a
 * reservation still open is shown as held (the next start of the agent charges it in full).
 */
final class SpendCommand {
    private SpendCommand() {
    }

    static int print(StoreConfig store, PrintStream out, PrintStream err) {
        List<AccountBalance> accounts;
        String where;
        switch (store.kind()) {
            case "memory" -> {
                out.println("store=memory: spend lives in the memory of each running JVM; there is nothing to read.");
                return 0;
            }
            case "journal" -> {
                where = "journal " + store.journalPath().toAbsolutePath();
                if (!Files.exists(store.journalPath())) {
                    out.println("store: " + where + " (not created yet: no call has been guarded with this configuration)");
                    return 0;
                }
                try {
                    accounts = JournalStore.read(store.journalPath(), Clock.systemUTC());
                } catch (StoreException e) {
                    err.println(e.getMessage());
                    return 1;
                }
            }
            default -> {
                // only reads: no local fallback (a running JVM may hold the journal), and nothing to reconcile
                try (SpendStore redis = new RedisStore(SpendStores.redisOptions(store).withOnUnavailable(RedisOptions.OnUnavailable.REFUSE))) {
                    where = redis.describe();
                    accounts = redis.accounts();
                } catch (StoreException e) {
                    err.println(e.getMessage());
                    return 1;
                }
            }
        }
        out.println("store: " + where);
        if (accounts.isEmpty()) {
            out.println("no spend recorded");
            return 0;
        }
        int width = Math.max("account".length(), accounts.stream().mapToInt(a -> readable(a.key()).length()).max().orElse(0));
        String row = "%-" + width + "s  %14s  %14s  %s%n";
        out.printf(Locale.ROOT, row, "account", "spent", "held", "counts until");
        long spent = 0;
        long held = 0;
        for (AccountBalance account : accounts) {
            out.printf(Locale.ROOT, row, readable(account.key()), Money.format(account.balance().spentMicros()),
                    Money.format(account.balance().heldMicros()),
                    account.expiresAtMillis() == 0 ? "never" : Instant.ofEpochMilli(account.expiresAtMillis()).toString());
            spent += account.balance().spentMicros();
            held += account.balance().heldMicros();
        }
        out.printf(Locale.ROOT, "%d accounts; spent %s, held %s%n", accounts.size(), Money.format(spent), Money.format(held));
        return 0;
    }

    /** The account key with its partition value decoded ({@code key=sk-…abcd#3f9a}, not {@code sk-%E2%80%A6abcd%233f9a}). */
    static String readable(String key) {
        return key.indexOf('%') < 0 ? key : URLDecoder.decode(key.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
