package dev.llmbudget.store.journal;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.SettlementLog.Settlement;
import java.util.List;

/**
 * One line of the journal, decoded. The store's hot path encodes straight from its arguments
 * ({@link JournalCodec#reserve} and friends) and never builds these; they exist for replay and for
 * the snapshot that compaction writes.
 */
sealed interface JournalEvent {

    /** The first line of every journal file: says the file is a journal, and in which format, so no other file is ever overwritten. */
    record Header(int version, long timeMillis) implements JournalEvent {
    }

    /** A call's worst case held in each of its accounts. Carries every account's limit and lifetime, so replay needs no configuration. */
    record Reserve(long timeMillis, String id, long amountMicros, List<AccountRef> accounts) implements JournalEvent {
        public Reserve {
            accounts = List.copyOf(accounts);
        }
    }

    /** The reservation's hold replaced by the actual cost. */
    record Settle(long timeMillis, String id, long actualMicros) implements JournalEvent {
    }

    /** The reservation's hold dropped: the call cost nothing. */
    record Release(long timeMillis, String id) implements JournalEvent {
    }

    /** A settlement applied elsewhere (the shared store), no longer kept. */
    record Acknowledge(long timeMillis, String id) implements JournalEvent {
    }

    /** A one-off event claimed ({@link dev.llmbudget.store.SpendStore#claimOnce}) until {@code expiresAtMillis}. */
    record Claim(String key, long expiresAtMillis) implements JournalEvent {
    }

    /** Compaction's summary of an account: all its settled spend so far. */
    record AccountSnapshot(String key, long spentMicros, long expiresAtMillis) implements JournalEvent {
    }

    /** Compaction's copy of a settlement not yet acknowledged; its spend is already in the {@link AccountSnapshot}s. */
    record SettlementSnapshot(Settlement settlement) implements JournalEvent {
    }
}
