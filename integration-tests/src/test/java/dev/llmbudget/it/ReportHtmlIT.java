package dev.llmbudget.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmbudget.it.support.ChildJvm;
import dev.llmbudget.ops.report.TestLedger;
import java.awt.image.BufferedImage;
import java.io.File;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar llm-budget-agent.jar report <ledger> --by budget --html report.html} with the real shaded jar,
 * and the page as a browser shows it: headless Chromium takes a screenshot, and its pixels must hold the charts'
 * blue spend lines and red refusal markers. What is checked is what a reader would see, not only the markup: an
 * SVG with a typo draws nothing and still contains every expected string.
 */
class ReportHtmlIT {
    private static final int LINE_COLOUR = 0x1f6feb;
    private static final int REFUSAL_COLOUR = 0xd62728;

    @TempDir
    Path dir;

    /** What the generated ledger holds per budget, to compare with the table. */
    private static final class Expected {
        long calls;
        long refusals;
        long settledMicros;
    }

    @Test
    void theTableIsPrintedAndThePageShowsASpendLineAndARedMarkerPerRefusal() throws Exception {
        Path ledger = dir.resolve("llm-budget-ledger.jsonl");
        Expected daily = new Expected();
        Expected gpt4o = new Expected();
        writeLedger(ledger, daily, gpt4o);
        Path html = dir.resolve("report.html");

        Process report = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                ChildJvm.agentJar().toString(), "report", ledger.toString(), "--by", "budget", "--html", html.toString())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        assertTrue(report.waitFor(60, TimeUnit.SECONDS), "report did not finish in 60 s");
        String out = Files.readString(dir.resolve("out.txt"));
        String err = Files.readString(dir.resolve("err.txt"));
        assertEquals(0, report.exitValue(), out + err);
        assertEquals("", err, "nothing on stderr for a small, clean ledger");

        assertTrue(out.contains("budget  calls  refusals  would-refuse  input tokens  output tokens"), out);
        assertRow(out, "daily", daily);
        assertRow(out, "gpt4o", gpt4o);
        assertRow(out, "total", daily);
        assertTrue(out.contains("refusals by rule:"), out);
        assertTrue(out.contains("HTML report: " + html), out);
        String page = Files.readString(html);
        assertEquals(daily.refusals + gpt4o.refusals, count(page, "<circle class=\"refusal\""), "one marker per refusal per budget");

        BufferedImage screenshot = screenshot(html);
        long blue = 0;
        long red = 0;
        long inked = 0;
        boolean[] blueColumns = new boolean[screenshot.getWidth()];
        for (int y = 0; y < screenshot.getHeight(); y++) {
            for (int x = 0; x < screenshot.getWidth(); x++) {
                int rgb = screenshot.getRGB(x, y) & 0xffffff;
                if (near(rgb, LINE_COLOUR)) {
                    blue++;
                    blueColumns[x] = true;
                }
                red += near(rgb, REFUSAL_COLOUR) ? 1 : 0;
                inked += rgb != 0xffffff ? 1 : 0;
            }
        }
        long columns = 0;
        for (boolean column : blueColumns) {
            columns += column ? 1 : 0;
        }
        String counts = "blue " + blue + " in " + columns + " columns, red " + red + ", not white " + inked + " of "
                + screenshot.getWidth() * screenshot.getHeight() + " pixels";
        // two lines 3 px thick across plots about 840 px wide (anti-aliasing leaves fewer exact pixels where a line
        // climbs, and the red dots cover it at the refusals); the legend's swatch is only 24 x 3
        assertTrue(blue > 1_500, "the spend lines are drawn: " + counts);
        assertTrue(columns > 500, "the spend lines run across the chart: " + counts);
        // a dot of radius 6 is about 110 px; refusals close in time overlap, and the legend's dot is about 50
        assertTrue(red > 500, "the refusal markers are drawn: " + counts);
        assertTrue(inked > 100_000, "the page is not blank: " + counts);
    }

    /**
     * Six hours of calls under two budgets: every call under {@code daily}, gpt-4o calls also under {@code gpt4o}.
     * From the fourth hour gpt4o is spent and refuses gpt-4o calls; now and then a retry limit refuses a call.
     */
    private static void writeLedger(Path file, Expected daily, Expected gpt4o) {
        Random random = new Random(7);
        Instant start = Instant.parse("2026-11-23T08:00:00Z");
        TestLedger ledger = new TestLedger();
        for (int i = 0; i < 360; i++) {
            Instant time = start.plus(Duration.ofSeconds(i * 60L + random.nextInt(40)));
            boolean big = random.nextInt(3) == 0;
            String rule = null;
            if (big && i >= 240 && random.nextInt(2) == 0) {
                rule = "budget.gpt4o.limit-usd";
            } else if (random.nextInt(40) == 0) {
                rule = "limits.retry.max-attempts";
            }
            long input = 300 + random.nextInt(3_000);
            long output = 50 + random.nextInt(600);
            long settled = rule != null ? 0 : big ? (input * 2_500 + output * 10_000) / 1_000 : (input * 150 + output * 600) / 1_000;
            ledger.add(TestLedger.line(time.toString(), big ? "gpt-4o" : "gpt-4o-mini", rule == null ? "allow" : "refuse")
                    .budgets(big ? new String[] {"daily", "gpt4o"} : new String[] {"daily"})
                    .tenant(i % 2 == 0 ? "acme" : "globex").rule(rule == null ? "budget.daily.limit-usd" : rule)
                    .tokens(input, output).settled(settled));

            for (Expected budget : big ? List.of(daily, gpt4o) : List.of(daily)) {
                budget.calls += rule == null ? 1 : 0;
                budget.refusals += rule == null ? 0 : 1;
                budget.settledMicros += settled;
            }
        }
        ledger.write(file);
        assertTrue(gpt4o.refusals >= 10, "the ledger has refusals to mark: " + gpt4o.refusals);
    }

    private static void assertRow(String out, String name, Expected expected) {
        String row = out.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in:\n" + out));
        String[] cells = row.trim().split(" +");
        assertEquals(String.format(Locale.ROOT, "%,d", expected.calls), cells[1], row);
        assertEquals(String.format(Locale.ROOT, "%,d", expected.refusals), cells[2], row);
        assertEquals("0", cells[3], row);
        assertEquals(usd(expected.settledMicros), cells[6], row);
    }

    /** As the agent formats money: at least two decimals, no trailing zeros past them. */
    private static String usd(long micros) {
        BigDecimal usd = BigDecimal.valueOf(micros).movePointLeft(6).stripTrailingZeros();
        return "$" + (usd.scale() < 2 ? usd.setScale(2, RoundingMode.UNNECESSARY) : usd).toPlainString();
    }

    private BufferedImage screenshot(Path html) throws Exception {
        String chromium = chromium();
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium is not installed; CI installs it (.ci/run): apt-get install chromium");
            }
            assumeTrue(false, "chromium is not installed: apt-get install chromium (Debian) to run this test");
        }
        Path png = dir.resolve("report.png");
        Path log = dir.resolve("chromium.txt");
        Process browser = new ProcessBuilder(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1280,2000", "--user-data-dir=" + dir.resolve("chromium-profile"), "--screenshot=" + png,
                html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!browser.waitFor(120, TimeUnit.SECONDS)) {
            browser.destroyForcibly();
            fail("chromium did not finish in 120 s:\n" + Files.readString(log));
        }
        assertTrue(Files.isRegularFile(png), "no screenshot; chromium exited " + browser.exitValue() + ":\n" + Files.readString(log));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth(), "screenshot width");
        return image;
    }

    /** /usr/bin/chromium, else the first chromium on PATH; null when there is none. */
    private static String chromium() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/chromium")));
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!folder.isEmpty()) {
                candidates.add(Path.of(folder, "chromium"));
                candidates.add(Path.of(folder, "chromium-browser"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).map(Path::toString).findFirst().orElse(null);
    }

    /** Within a small tolerance per channel: anti-aliasing and colour management shift a colour by a few steps. */
    private static boolean near(int rgb, int colour) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((rgb >> shift & 0xff) - (colour >> shift & 0xff)) > 12) {
                return false;
            }
        }
        return true;
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
