package dev.llmbudget.store.journal;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.SettlementLog.Settlement;
import dev.llmbudget.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The journal's line format: one event per line, fields separated by one space, ending in {@code " *"}
 * and the CRC32 of everything before it as 8 hex digits. The checksum is what lets replay tell a line
 * cut short by a crash, or damaged on disk, from a good one, instead of misreading it.
 *
 * <pre>
 * llm-budget-journal 1 1795428000000 *d423ebe3
 * account daily/global/2026-11-23 1234 1763942400000 *5021eb6a
 * settled 4f1c2a9e-17 1234 daily|daily/global/2026-11-23|2000000|1763942400000 weekly|weekly/global/b124|9000000|1764547200000|weekly/global/b123 *6d96a7ff
 * reserve 1795428000000 4f1c2a9e-17 4000 daily|daily/global/2026-11-23|2000000|1763942400000 weekly|weekly/global/b124|9000000|1764547200000|weekly/global/b123 *76c7b991
 * settle 1795428000000 4f1c2a9e-17 1234 *b24698a1
 * release 1795428000000 4f1c2a9e-18 *789f22f2
 * ack 1795428000000 4f1c2a9e-18 *de7dff03
 * claim alert-at:daily/global/2026-11-23:2000000:8000 1763942400000 *faca5ac7
 * </pre>
 *
 * An account is {@code budget|key|limitMicros|expiresAtMillis}, then {@code |earlier1,earlier2} when
 * other keys count against its limit. Hand-rolled rather than JSON: the hot path encodes into a
 * per-thread buffer it reuses, allocating nothing, and an operator can still read the file with
 * {@code less} and {@code grep}. Text is never escaped: ids, budgets and keys may only hold
 * {@code [A-Za-z0-9._:/#@%+=-]} (as {@link AccountRef} promises), none of which is a separator, and
 * anything else is refused before it is written.
 */
final class JournalCodec {
    static final int VERSION = 1;
    static final String MAGIC = "llm-budget-journal";
    static final String ALLOWED = "[A-Za-z0-9._:/#@%+=-]";

    private static final int CHECKSUM_LENGTH = 10; // " *" and 8 hex digits
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final boolean[] TEXT = new boolean[128];
    private static final ThreadLocal<Line> LINES = ThreadLocal.withInitial(Line::new);

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:/#@%+=-".toCharArray()) {
            TEXT[c] = true;
        }
    }

    private JournalCodec() {
    }

    /**
     * The encoded line, in this thread's buffer: valid until the thread encodes its next line.
     *
     * @throws StoreException when an id, budget or key holds a character the format cannot carry
     */
    static Line reserve(long timeMillis, String id, long amountMicros, List<AccountRef> accounts) {
        Line line = LINES.get().start("reserve").number(timeMillis).text(id, "reservation id").number(amountMicros);
        for (int i = 0; i < accounts.size(); i++) {
            line.account(accounts.get(i));
        }
        return line.end();
    }

    static Line settle(long timeMillis, String id, long actualMicros) {
        return LINES.get().start("settle").number(timeMillis).text(id, "reservation id").number(actualMicros).end();
    }

    static Line release(long timeMillis, String id) {
        return LINES.get().start("release").number(timeMillis).text(id, "reservation id").end();
    }

    static Line acknowledge(long timeMillis, String id) {
        return LINES.get().start("ack").number(timeMillis).text(id, "reservation id").end();
    }

    /** @throws StoreException when the key holds a character the format cannot carry */
    static Line claim(String key, long expiresAtMillis) {
        return LINES.get().start("claim").text(key, "claim key").number(expiresAtMillis).end();
    }

    /** Any event, for the snapshot compaction writes (not the hot path). */
    static Line encode(JournalEvent event) {
        if (event instanceof JournalEvent.Reserve reserve) {
            return reserve(reserve.timeMillis(), reserve.id(), reserve.amountMicros(), reserve.accounts());
        } else if (event instanceof JournalEvent.Settle settle) {
            return settle(settle.timeMillis(), settle.id(), settle.actualMicros());
        } else if (event instanceof JournalEvent.Release release) {
            return release(release.timeMillis(), release.id());
        } else if (event instanceof JournalEvent.Acknowledge ack) {
            return acknowledge(ack.timeMillis(), ack.id());
        } else if (event instanceof JournalEvent.Claim claim) {
            return claim(claim.key(), claim.expiresAtMillis());
        } else if (event instanceof JournalEvent.AccountSnapshot account) {
            return LINES.get().start("account").text(account.key(), "account key").number(account.spentMicros())
                    .number(account.expiresAtMillis()).end();
        } else if (event instanceof JournalEvent.SettlementSnapshot snapshot) {
            Settlement settlement = snapshot.settlement();
            Line line = LINES.get().start("settled").text(settlement.reservationId(), "reservation id")
                    .number(settlement.actualMicros());
            for (AccountRef account : settlement.accounts()) {
                line.account(account);
            }
            return line.end();
        }
        JournalEvent.Header header = (JournalEvent.Header) event;
        return LINES.get().start(MAGIC).number(header.version()).number(header.timeMillis()).end();
    }

    /**
     * Decodes one line (without its newline), or returns null when the line is not one this codec
     * wrote whole: checksum missing or wrong, unknown event, fields missing or malformed.
     */
    static JournalEvent decode(byte[] bytes, int length) {
        int payload = length - CHECKSUM_LENGTH;
        if (payload <= 0 || bytes[payload] != ' ' || bytes[payload + 1] != '*') {
            return null;
        }
        long expected = 0;
        for (int i = payload + 2; i < length; i++) {
            int digit = Arrays.binarySearch(HEX, bytes[i]);
            if (digit < 0) {
                return null;
            }
            expected = expected << 4 | digit;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, payload);
        if (crc.getValue() != expected) {
            return null;
        }
        String[] fields = new String(bytes, 0, payload, StandardCharsets.ISO_8859_1).split(" ");
        try {
            return decode(fields);
        } catch (RuntimeException malformed) { // a number that is not one, a field missing
            return null;
        }
    }

    private static JournalEvent decode(String[] f) {
        switch (f[0]) {
            case "reserve":
                return new JournalEvent.Reserve(Long.parseLong(f[1]), f[2], Long.parseLong(f[3]), accounts(f, 4));
            case "settle":
                exactly(f, 4);
                return new JournalEvent.Settle(Long.parseLong(f[1]), f[2], Long.parseLong(f[3]));
            case "release":
                exactly(f, 3);
                return new JournalEvent.Release(Long.parseLong(f[1]), f[2]);
            case "ack":
                exactly(f, 3);
                return new JournalEvent.Acknowledge(Long.parseLong(f[1]), f[2]);
            case "claim":
                exactly(f, 3);
                return new JournalEvent.Claim(f[1], Long.parseLong(f[2]));
            case "account":
                exactly(f, 4);
                return new JournalEvent.AccountSnapshot(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]));
            case "settled":
                return new JournalEvent.SettlementSnapshot(new Settlement(f[1], accounts(f, 3), Long.parseLong(f[2])));
            case MAGIC:
                exactly(f, 3);
                return new JournalEvent.Header(Integer.parseInt(f[1]), Long.parseLong(f[2]));
            default:
                return null;
        }
    }

    private static void exactly(String[] fields, int count) {
        if (fields.length != count) {
            throw new IllegalArgumentException("expected " + count + " fields");
        }
    }

    private static List<AccountRef> accounts(String[] fields, int from) {
        List<AccountRef> accounts = new ArrayList<>(fields.length - from);
        for (int i = from; i < fields.length; i++) {
            String[] parts = fields[i].split("\\|");
            if (parts.length != 4 && parts.length != 5) {
                throw new IllegalArgumentException("not an account: " + fields[i]);
            }
            List<String> earlier = parts.length == 5 ? List.of(parts[4].split(",")) : List.of();
            accounts.add(new AccountRef(parts[0], parts[1], earlier, Long.parseLong(parts[2]), Long.parseLong(parts[3])));
        }
        return accounts;
    }

    /** A line being encoded into a buffer its thread reuses, so encoding allocates nothing once the buffer has grown. */
    static final class Line {
        private final CRC32 crc = new CRC32();
        private byte[] bytes = new byte[256];
        private int length;

        byte[] bytes() {
            return bytes;
        }

        int length() {
            return length;
        }

        /** The line's bytes to keep past the thread's next encoding. */
        byte[] copy() {
            return Arrays.copyOf(bytes, length);
        }

        private Line start(String type) {
            length = 0;
            for (int i = 0; i < type.length(); i++) {
                put(type.charAt(i));
            }
            return this;
        }

        private Line number(long value) {
            put(' ');
            digits(value);
            return this;
        }

        private Line text(String text, String what) {
            put(' ');
            checkedText(text, what);
            return this;
        }

        private void account(AccountRef account) {
            put(' ');
            checkedText(account.budget(), "budget name");
            put('|');
            checkedText(account.key(), "account key");
            put('|');
            digits(account.limitMicros());
            put('|');
            digits(account.expiresAtMillis());
            List<String> earlier = account.alsoCounted();
            for (int i = 0; i < earlier.size(); i++) {
                put(i == 0 ? '|' : ',');
                checkedText(earlier.get(i), "account key");
            }
        }

        private Line end() {
            crc.reset();
            crc.update(bytes, 0, length);
            long value = crc.getValue();
            put(' ');
            put('*');
            for (int shift = 28; shift >= 0; shift -= 4) {
                put(HEX[(int) (value >>> shift) & 0xF]);
            }
            put('\n');
            return this;
        }

        private void checkedText(String text, String what) {
            int n = text.length();
            if (n == 0) {
                throw new StoreException("an empty " + what + " cannot be written to the spend journal");
            }
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (c >= 128 || !TEXT[c]) {
                    throw new StoreException("the " + what + " '" + text + "' cannot be written to the spend journal:"
                            + " only the characters " + ALLOWED + " are allowed");
                }
                put(c);
            }
        }

        /** Writes a long in decimal without a String: works on the negative value, which covers Long.MIN_VALUE too. */
        private void digits(long value) {
            long negative = value;
            if (value < 0) {
                put('-');
            } else {
                negative = -value;
            }
            int first = length;
            do {
                put((byte) ('0' - negative % 10));
                negative /= 10;
            } while (negative != 0);
            for (int i = first, j = length - 1; i < j; i++, j--) {
                byte swap = bytes[i];
                bytes[i] = bytes[j];
                bytes[j] = swap;
            }
        }

        private void put(char c) {
            put((byte) c);
        }

        private void put(byte b) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[length++] = b;
        }
    }
}
