package dev.llmbudget.store.journal;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.ReserveResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A second JVM for {@link JournalStoreTest}: opens the journal named by its argument, leaves one
 * reservation of 700 open and settles another at 120 (of 300), says {@code locked}, and waits to be killed.
 */
public final class JournalHolder {
    static final AccountRef DAILY = new AccountRef("daily", "daily/global/2026-11-23", 1_000_000, 0);

    private JournalHolder() {
    }

    public static void main(String[] args) throws Exception {
        JournalStore store = JournalStore.open(Path.of(args[0]), Duration.ofHours(1), false, Clock.systemUTC());
        store.reserve("child-1", List.of(DAILY), 700);
        ReserveResult.Granted second = (ReserveResult.Granted) store.reserve("child-2", List.of(DAILY), 300);
        store.settle(second.reservation(), 120);
        System.out.println("locked");
        System.out.flush();
        System.in.read();
    }
}
