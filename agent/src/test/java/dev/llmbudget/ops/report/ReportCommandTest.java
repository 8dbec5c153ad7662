package dev.llmbudget.ops.report;

import static dev.llmbudget.ops.report.TestLedger.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int report(String... args) {
        return ReportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), NOW);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The cells of the table row whose first cell is {@code name}: calls, refusals, would-refuse, input, output, USD. */
    private List<String> row(String name) {
        for (String line : stdout().lines().toList()) {
            List<String> cells = Arrays.asList(line.split(" {2,}"));
            if (cells.size() == 7 && cells.get(0).equals(name)) {
                return cells.subList(1, 7);
            }
        }
        throw new AssertionError("no row '" + name + "' in:\n" + stdout());
    }

    /** Two days, two models, two budgets, two tenants; every decision the ledger knows. */
    private Path mixedLedger() {
        return new TestLedger()
                .add(line("2026-11-23T09:00:00Z", "gpt-4o", "allow").budgets("daily", "gpt4o").tenant("acme")
                        .tokens(1_000, 100).settled(3_500))
                .add(line("2026-11-23T09:05:00Z", "gpt-4o-mini", "allow").budgets("daily").tenant("globex")
                        .tokens(2_000, 300).settled(480))
                .add(line("2026-11-23T10:00:00Z", "gpt-4o", "refuse").budgets("daily", "gpt4o").tenant("acme")
                        .rule("budget.gpt4o.limit-usd"))
                .add(line("2026-11-23T23:59:59.999Z", "gpt-4o", "would-refuse").budgets("daily", "gpt4o")
                        .tokens(500, 50).settled(1_750))
                .add(line("2026-11-24T00:00:00Z", "gpt-4o-mini", "unguarded").rule("on-internal-error").noUsage())
                .add(line("2026-11-24T08:00:00Z", "gpt-4o-mini", "refuse").budgets("daily").tenant("globex")
                        .rule("limits.retry.max-attempts"))
                .add(line("2026-11-24T08:00:01Z", "gpt-4o-mini", "refuse").budgets("daily").tenant("globex")
                        .rule("limits.retry.max-attempts"))
                .write(dir.resolve("ledger.jsonl"));
    }

    @Test
    void byModelIsTheDefaultWithATotalRowAndRefusalsByRule() {
        assertEquals(0, report(mixedLedger().toString()), stderr());

        assertEquals(List.of("2", "1", "1", "1,500", "150", "$0.00525"), row("gpt-4o"));
        assertEquals(List.of("2", "2", "0", "2,000", "300", "$0.00048"), row("gpt-4o-mini"));
        assertEquals(List.of("4", "3", "1", "3,500", "450", "$0.00573"), row("total"));
        assertTrue(stdout().indexOf("\ngpt-4o ") < stdout().indexOf("\ngpt-4o-mini "), "biggest spender first: " + stdout());
        assertTrue(stdout().contains("a call with none reported counts 0"), "the header says actual tokens only: " + stdout());
        assertTrue(stdout().matches("(?s).*refusals by rule:\n  limits\\.retry\\.max-attempts +2\n  budget\\.gpt4o\\.limit-usd +1\n.*"),
                stdout());
        assertEquals("", stderr(), "nothing on stderr for a small, clean file");
    }

    @Test
    void byBudgetCountsALineInEachOfItsBudgetsAndOnceInTheTotal() {
        assertEquals(0, report(mixedLedger().toString(), "--by", "budget"), stderr());

        assertEquals(List.of("3", "3", "1", "3,500", "450", "$0.00573"), row("daily"));
        assertEquals(List.of("2", "1", "1", "1,500", "150", "$0.00525"), row("gpt4o"));
        assertEquals(List.of("1", "0", "0", "0", "0", "$0.00"), row("(none)"));
        assertEquals(List.of("4", "3", "1", "3,500", "450", "$0.00573"), row("total"));
    }

    @Test
    void byTenantShowsCallsWithoutOneAsNone() {
        assertEquals(0, report(mixedLedger().toString(), "--by=tenant"), stderr());

        assertEquals(List.of("1", "1", "0", "1,000", "100", "$0.0035"), row("acme"));
        assertEquals(List.of("1", "2", "0", "2,000", "300", "$0.00048"), row("globex"));
        assertEquals(List.of("2", "0", "1", "500", "50", "$0.00175"), row("(none)"));
    }

    @Test
    void byDayUsesTheUtcDateInCalendarOrder() {
        assertEquals(0, report(mixedLedger().toString(), "--by", "day"), stderr());

        assertEquals(List.of("3", "1", "1", "3,500", "450", "$0.00573"), row("2026-11-23"));
        assertEquals(List.of("1", "2", "0", "0", "0", "$0.00"), row("2026-11-24"));
        assertTrue(stdout().indexOf("2026-11-23 ") < stdout().indexOf("2026-11-24 "), stdout());
    }

    @Test
    void sinceAnInstantLeavesOutEarlierLines() {
        assertEquals(0, report(mixedLedger().toString(), "--since", "2026-11-23T10:00:00Z"), stderr());

        assertEquals(List.of("2", "3", "1", "500", "50", "$0.00175"), row("total"));
        assertTrue(stdout().contains("2 before 2026-11-23T10:00:00Z (left out)"), stdout());
    }

    @Test
    void sinceADateStartsAtMidnightUtc() {
        assertEquals(0, report(mixedLedger().toString(), "--by", "day", "--since", "2026-11-24"), stderr());

        assertEquals(List.of("1", "2", "0", "0", "0", "$0.00"), row("total"));
        assertFalse(stdout().contains("2026-11-23 "), stdout());
    }

    @Test
    void sinceADurationCountsBackFromNow() {
        // now is 2026-11-24T12:00Z: 4h back is 08:00, the two retry refusals (08:00:00 itself is in)
        assertEquals(0, report(mixedLedger().toString(), "--since", "4h"), stderr());
        assertEquals(List.of("0", "2", "0", "0", "0", "$0.00"), row("total"));

        out.reset();
        assertEquals(0, report(mixedLedger().toString(), "--since", "7d"), stderr());
        assertEquals(List.of("4", "3", "1", "3,500", "450", "$0.00573"), row("total"));

        out.reset();
        assertEquals(0, report(mixedLedger().toString(), "--since", "30m"), stderr());
        assertEquals(List.of("0", "0", "0", "0", "0", "$0.00"), row("total"));
        assertTrue(stdout().contains("no calls in the period"), stdout());
    }

    @Test
    void aMalformedLineIsSkippedCountedAndNamedOnceOnStderr() {
        Path ledger = new TestLedger()
                .add(line("2026-11-23T09:00:00Z", "gpt-4o", "allow").settled(1_000))
                .raw("{\"time\":\"2026-11-23T09:00:01Z\",\"model\":\"gpt-4o\",\"decis")
                .raw("")
                .raw("not json at all")
                .raw("{\"model\":\"gpt-4o\",\"decision\":\"allow\",\"settledMicroUsd\":5}")
                .add(line("2026-11-23T09:00:02Z", "gpt-4o", "allow").settled(2_000))
                .write(dir.resolve("damaged.jsonl"));

        assertEquals(0, report(ledger.toString()), stderr());

        assertEquals(List.of("2", "0", "0", "2,000", "400", "$0.003"), row("total"));
        assertTrue(stdout().contains("5 lines, 3 malformed (skipped)"), stdout());
        List<String> warnings = stderr().lines().toList();
        assertEquals(3, warnings.size(), stderr());
        assertTrue(warnings.get(0).contains(ledger + " line 2 skipped: not valid JSON"), stderr());
        assertTrue(warnings.get(1).contains(" line 4 skipped: not valid JSON"), "line numbers count blank lines: " + stderr());
        assertTrue(warnings.get(2).contains(" line 5 skipped: no time"), stderr());
    }

    @Test
    void moneyIsSummedExactlyInMicroUsdWherePreciseDoublesWouldNotBe() {
        // 2^53 + 1 micro-USD cannot be a double; nor can the sum of a million lines of 0.1 cent each
        TestLedger ledger = new TestLedger()
                .add(line("2026-11-23T09:00:00Z", "big", "allow").settled(9_007_199_254_740_993L));
        for (int i = 0; i < 1_000; i++) {
            ledger.add(line("2026-11-23T09:00:01Z", "small", "allow").settled(1_001));
        }
        ledger.add(line("2026-11-23T09:00:02Z", "small", "allow").settled(7));
        assertEquals(0, report(ledger.write(dir.resolve("money.jsonl")).toString()), stderr());

        assertEquals("$9007199254.740993", row("big").get(5));
        assertEquals("$1.001007", row("small").get(5));
        assertEquals("$9007199255.742", row("total").get(5));
    }

    @Test
    void theHtmlPageEscapesNamesAndMarksEachRefusalOnItsBudgetsChart() throws Exception {
        Path ledger = new TestLedger()
                .add(line("2026-11-23T09:00:00Z", "<script>alert(1)</script>", "allow").budgets("a&b", "team \"x\"")
                        .tenant("o'neil").settled(10_000))
                .add(line("2026-11-23T09:30:00Z", "gpt-4o", "refuse").budgets("a&b", "team \"x\""))
                .add(line("2026-11-23T10:00:00Z", "gpt-4o", "allow").budgets("a&b").settled(20_000))
                .add(line("2026-11-23T10:10:00Z", "gpt-4o", "refuse").budgets("a&b"))
                .add(line("2026-11-23T10:20:00Z", "gpt-4o", "refuse").budgets("a&b"))
                .write(dir.resolve("ledger.jsonl"));
        Path html = dir.resolve("report.html");

        assertEquals(0, report(ledger.toString(), "--html", html.toString()), stderr());

        String page = Files.readString(html);
        assertTrue(stdout().contains("HTML report: " + html.toAbsolutePath()), stdout());
        assertTrue(page.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), page);
        assertFalse(page.contains("<script"), "no script, from the ledger or otherwise");
        assertTrue(page.contains("<h3>a&amp;b</h3>") && page.contains("<h3>team &quot;x&quot;</h3>"), page);
        assertFalse(page.contains("src=") || page.contains("href=") || page.contains("@import") || page.contains("url("),
                "nothing fetched from elsewhere");
        String[] charts = page.split("<h3>");
        assertEquals(3, charts.length, "one chart per budget: " + page);
        assertEquals(3, count(charts[1], "class=\"refusal\""), "a&b: three refusals");
        assertEquals(1, count(charts[2], "class=\"refusal\""), "team \"x\": one refusal");
        assertTrue(charts[1].contains("<polyline class=\"spend\" fill=\"none\" stroke=\"#1f6feb\""), charts[1]);
        assertTrue(charts[1].contains("$0.03 settled, 3 refusals"), charts[1]);
        assertTrue(charts[1].contains("fill=\"#d62728\""), charts[1]);
        assertTrue(page.contains("<tr class=\"total\"><td>total</td><td>2</td><td>3</td>"), page);
    }

    @Test
    void aBudgetSeenOnlyBeforeSinceGetsAnEmptyChartWithANote() throws Exception {
        Path ledger = new TestLedger()
                .add(line("2026-11-20T09:00:00Z", "gpt-4o", "allow").budgets("old").settled(10_000))
                .add(line("2026-11-23T09:00:00Z", "gpt-4o", "allow").budgets("new").settled(10_000))
                .write(dir.resolve("ledger.jsonl"));
        Path html = dir.resolve("report.html");

        assertEquals(0, report(ledger.toString(), "--since", "2026-11-22", "--html", html.toString()), stderr());

        String page = Files.readString(html);
        String old = page.substring(page.indexOf("<h3>old</h3>"));
        assertTrue(old.contains("No calls under this budget in the report&#39;s period."), page);
        assertFalse(old.contains("<polyline"), old);
        assertTrue(page.substring(page.indexOf("<h3>new</h3>"), page.indexOf("<h3>old</h3>")).contains("<polyline"), page);
    }

    @Test
    void aLargeFileShowsProgressOnStderrASmallOneNothing() throws Exception {
        Path large = dir.resolve("large.jsonl");
        // long lines (a 2 KB detail) make the file large with few lines to parse: the test stays quick
        String template = line("2026-11-23T09:00:00Z", "gpt-4o", "allow").budgets("daily").settled(1_234).json()
                .replace("\"detail\":null", "\"detail\":\"" + "x".repeat(2_000) + "\"");
        long lines = 0;
        try (BufferedWriter writer = Files.newBufferedWriter(large)) {
            while (lines * (template.length() + 1) <= Progress.LARGE_FILE_BYTES + 1024) {
                writer.write(template);
                writer.write('\n');
                lines++;
            }
        }
        assertTrue(Files.size(large) > Progress.LARGE_FILE_BYTES);

        assertEquals(0, report(large.toString()), stderr());

        Matcher done = Pattern.compile("report: read ([\\d,]+) lines in \\d+\\.\\d s").matcher(stderr());
        assertTrue(done.find(), stderr());
        assertEquals(String.format(Locale.ROOT, "%,d", lines), done.group(1));
        assertEquals(String.format(Locale.ROOT, "%,d", lines), row("total").get(0));

        err.reset();
        assertEquals(0, report(mixedLedger().toString()));
        assertEquals("", stderr());
    }

    @Test
    void usageErrorsExit2WithAMessage() throws Exception {
        String ledger = mixedLedger().toString();

        assertEquals(2, report());
        assertTrue(stderr().contains("no ledger file given") && stderr().contains("usage: "), stderr());
        err.reset();
        assertEquals(2, report(ledger, "--bye", "model"));
        assertTrue(stderr().contains("unknown option --bye"), stderr());
        err.reset();
        assertEquals(2, report(ledger, "--by", "week"));
        assertTrue(stderr().contains("--by 'week' is not one of model, budget, tenant or day"), stderr());
        err.reset();
        assertEquals(2, report(ledger, "--since", "yesterday"));
        assertTrue(stderr().contains("--since 'yesterday' is not an instant"), stderr());
        err.reset();
        assertEquals(2, report(ledger, "--html"));
        assertTrue(stderr().contains("--html needs a value"), stderr());
        err.reset();
        assertEquals(2, report(ledger, ledger));
        assertTrue(stderr().contains("one ledger file only"), stderr());
        assertEquals("", stdout(), "nothing read on a usage error");
    }

    @Test
    void aLedgerThatCannotBeReadExits1() {
        assertEquals(1, report(dir.resolve("missing.jsonl").toString()));
        assertTrue(stderr().contains("cannot read the ledger " + dir.resolve("missing.jsonl") + ": no such file"), stderr());
        err.reset();
        assertEquals(1, report(dir.toString()));
        assertTrue(stderr().contains("not a readable file"), stderr());
    }

    @Test
    void anHtmlFileThatCannotBeWrittenExits1() {
        assertEquals(1, report(mixedLedger().toString(), "--html", dir.resolve("no/such/folder/report.html").toString()));
        assertTrue(stderr().contains("cannot write"), stderr());
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
