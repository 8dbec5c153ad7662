package dev.llmbudget.store.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmbudget.store.AccountRef;
import dev.llmbudget.store.SettlementLog.Settlement;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class JournalCodecTest {
    private static final AccountRef ROLLING = new AccountRef("rolling", "rolling/global/b124", List.of("rolling/global/b122",
            "rolling/global/b123"), 2_000_000, 1_763_942_400_000L);
    private static final AccountRef TOTAL = new AccountRef("total", "total/global/total", Long.MAX_VALUE, 0);

    @Test
    void everyEventDecodesToWhatWasEncoded() {
        List<JournalEvent> events = List.of(
                new JournalEvent.Header(JournalCodec.VERSION, 1_763_900_000_000L),
                new JournalEvent.Reserve(1_763_900_000_123L, "4f1c2a9e-18", 4_000, List.of(ROLLING, TOTAL)),
                new JournalEvent.Reserve(1_763_900_000_123L, "no-accounts", 0, List.of()),
                new JournalEvent.Settle(1_763_900_000_456L, "4f1c2a9e-18", -1),
                new JournalEvent.Settle(1_763_900_000_456L, "4f1c2a9e-18", Long.MIN_VALUE),
                new JournalEvent.Release(1_763_900_000_789L, "4f1c2a9e-19"),
                new JournalEvent.Acknowledge(1_763_900_000_999L, "4f1c2a9e-17"),
                new JournalEvent.AccountSnapshot("daily/global/2026-11-23", 125_000, 1_763_942_400_000L),
                new JournalEvent.SettlementSnapshot(new Settlement("4f1c2a9e-17", List.of(ROLLING), 500)));
        for (JournalEvent event : events) {
            byte[] line = line(event);
            assertEquals('\n', line[line.length - 1]);
            assertEquals(event, JournalCodec.decode(line, line.length - 1), new String(line, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aLineIsPlainTextEndingInItsChecksum() {
        String text = new String(line(new JournalEvent.Reserve(1_763_900_000_123L, "a1-7", 4_000, List.of(ROLLING))),
                StandardCharsets.US_ASCII);
        String payload = "reserve 1763900000123 a1-7 4000 rolling|rolling/global/b124|2000000|1763942400000"
                + "|rolling/global/b122,rolling/global/b123";
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.US_ASCII));
        assertEquals(payload + " *" + String.format("%08x", crc.getValue()) + "\n", text);
    }

    @Test
    void anyChangedByteOrMissingTailMakesALineUnreadable() {
        byte[] line = line(new JournalEvent.Settle(1_763_900_000_456L, "4f1c2a9e-18", 1_234));
        int length = line.length - 1;
        for (int i = 0; i < length; i++) {
            byte[] damaged = Arrays.copyOf(line, length);
            damaged[i] ^= 0x01;
            assertNull(JournalCodec.decode(damaged, length), "byte " + i);
        }
        for (int cut = 0; cut < length; cut++) {
            assertNull(JournalCodec.decode(line, cut), "cut at " + cut);
        }
    }

    @Test
    void aLineWithAGoodChecksumButNoKnownEventIsUnreadable() {
        String payload = "refund 1763900000456 r1 5";
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.US_ASCII));
        byte[] line = (payload + " *" + String.format("%08x", crc.getValue())).getBytes(StandardCharsets.US_ASCII);
        assertNull(JournalCodec.decode(line, line.length));
    }

    private static byte[] line(JournalEvent event) {
        JournalCodec.Line line = JournalCodec.encode(event);
        return Arrays.copyOf(line.bytes(), line.length());
    }
}
