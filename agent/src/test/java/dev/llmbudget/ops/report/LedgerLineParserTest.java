package dev.llmbudget.ops.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerLineParserTest {
    @Test
    void readsTheFieldsTheReportUsesFromALedgerLine() throws Exception {
        LedgerLine line = LedgerLineParser.parse(TestLedger.line("2026-11-23T09:00:00.123456Z", "gpt-4o", "allow")
                .tenant("acme").budgets("daily", "gpt4o").tokens(1_234, 56).settled(7_890).json());

        assertEquals(new LedgerLine(Instant.parse("2026-11-23T09:00:00.123456Z"), "gpt-4o", "acme", "allow",
                "budget.daily.limit-usd", List.of("daily", "gpt4o"), 1_234, 56, 7_890), line);
    }

    @Test
    void noReportedUsageIsZeroTokensNotTheEstimate() throws Exception {
        LedgerLine line = LedgerLineParser.parse(TestLedger.line("2026-11-23T09:00:00Z", "gpt-4o", "allow").noUsage().json());

        assertEquals(0, line.inputTokens());
        assertEquals(0, line.outputTokens());
    }

    @Test
    void whatIsNotALedgerLineSaysWhy() {
        assertMalformed("[1, 2]", "not a JSON object");
        assertMalformed("{\"time\":\"2026-11-23T09:00:00Z\",\"decision\":\"allow\"} {}", "more than one JSON value");
        assertMalformed("{\"time\":\"2026-11-23T09:00:00Z\"}", "no decision");
        assertMalformed("{\"time\":\"yesterday\",\"decision\":\"allow\"}", "time 'yesterday' is not an ISO-8601 instant");
        assertMalformed("{\"time\":\"2026-11-23T09:00:00Z\",\"decision\":\"allow\",\"settledMicroUsd\":1.5}",
                "settledMicroUsd is not a whole number");
        assertMalformed("{\"time\":\"2026-11-23T09:00:00Z\",\"decision\":\"allow\",\"settledMicroUsd\":99999999999999999999}",
                "settledMicroUsd is out of range");
        assertMalformed("{\"time\":\"2026-11-23T09:00:00Z\",\"decision\":\"allow\",\"budgets\":\"daily\"}", "budgets is not an array");
        assertMalformed("{\"time\":\"2026-11-23T09:00:00Z\",\"decision\":\"allow\",\"actual\":", "not valid JSON");
    }

    private static void assertMalformed(String text, String why) {
        LedgerLineParser.MalformedLineException e = assertThrows(LedgerLineParser.MalformedLineException.class,
                () -> LedgerLineParser.parse(text), text);
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
