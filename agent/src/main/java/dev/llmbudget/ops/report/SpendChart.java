package dev.llmbudget.ops.report;

import dev.llmbudget.pricing.Money;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One budget's chart as inline SVG, drawn here rather than by a script in the page: the file then shows the same in
 * any browser, offline, with scripts blocked, and as a screenshot. Cumulative settled spend is a blue line over a
 * light area, each refusal on the budget a red dot on the line at its time. Coordinates are whole pixels worked out
 * in {@code long}: money never passes through a floating-point number, not even on its way to a pixel.
 */
final class SpendChart {
    static final String LINE_COLOUR = "#1f6feb";
    static final String REFUSAL_COLOUR = "#d62728";

    private static final int WIDTH = 960;
    private static final int HEIGHT = 300;
    private static final int LEFT = 96;
    private static final int RIGHT = 28;
    private static final int TOP = 16;
    private static final int BOTTOM = 44;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
    private static final long SMALLEST_SCALE_MICROS = 10_000;
    private static final long[] TIME_STEPS_MILLIS = {1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000,
            300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
            172_800_000, 604_800_000, 1_209_600_000, 2_592_000_000L, 7_862_400_000L, 31_536_000_000L};
    private static final long DAY_MILLIS = 86_400_000;

    private final StringBuilder svg = new StringBuilder(16 * 1024);
    private final long start;
    private final long span;
    private long scaleMicros;

    private SpendChart(long start, long end) {
        this.start = start;
        this.span = Math.max(1, end - start);
    }

    /**
     * @param start the left edge, epoch millis: every chart of the page shares the same time axis
     * @param end the right edge
     */
    static String svg(String budget, BudgetTimeline timeline, long start, long end) {
        return new SpendChart(start, end).draw(budget, timeline);
    }

    private String draw(String budget, BudgetTimeline timeline) {
        TimeBuckets buckets = timeline.spend();
        long[] cumulative = new long[buckets.size() + 1];
        for (int i = 0; i < buckets.size(); i++) {
            cumulative[i + 1] = Math.addExact(cumulative[i], buckets.sum(i));
        }
        long top = Math.max(SMALLEST_SCALE_MICROS, cumulative[buckets.size()]);
        long step = niceStep(ceilDiv(top, 4));
        scaleMicros = ceilDiv(top, step) * step;

        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\"><title>Cumulative settled spend of budget ")
                .append(Html.escape(budget)).append("</title>\n");
        drawMoneyAxis(step);
        drawTimeAxis();
        if (timeline.lines() == 0) {
            text(LEFT + PLOT_WIDTH / 2, TOP + PLOT_HEIGHT / 2, "middle", "#6b7280",
                    "No calls under this budget in the report's period.");
        } else {
            drawSpend(buckets, cumulative);
            drawRefusals(buckets, cumulative, timeline.markedRefusals());
        }
        return svg.append("</svg>\n").toString();
    }

    private void drawMoneyAxis(long step) {
        for (long tick = 0; tick <= scaleMicros; tick += step) {
            int y = y(tick);
            line(LEFT, y, LEFT + PLOT_WIDTH, y, tick == 0 ? "#6b7280" : "#e5e7eb");
            text(LEFT - 8, y + 4, "end", "#374151", Money.format(tick));
        }
        line(LEFT, TOP, LEFT, TOP + PLOT_HEIGHT, "#6b7280");
    }

    private void drawTimeAxis() {
        long step = TIME_STEPS_MILLIS[TIME_STEPS_MILLIS.length - 1];
        for (long candidate : TIME_STEPS_MILLIS) {
            if (span / candidate <= 8) {
                step = candidate;
                break;
            }
        }
        DateTimeFormatter format = DateTimeFormatter.ofPattern(step >= DAY_MILLIS ? "yyyy-MM-dd"
                : span > DAY_MILLIS || Math.floorDiv(start, DAY_MILLIS) != Math.floorDiv(start + span, DAY_MILLIS)
                ? "MM-dd HH:mm" : step < 60_000 ? "HH:mm:ss" : "HH:mm").withZone(ZoneOffset.UTC);
        int bottom = TOP + PLOT_HEIGHT;
        for (long tick = Math.floorDiv(start + step - 1, step) * step; tick <= start + span; tick += step) {
            int x = x(tick);
            line(x, bottom, x, bottom + 5, "#6b7280");
            text(x, bottom + 20, "middle", "#374151", format.format(Instant.ofEpochMilli(tick)));
        }
        text(LEFT + PLOT_WIDTH, bottom + 38, "end", "#6b7280", "time (UTC)");
    }

    /** The line through the cumulative sum at each bucket's end, from the left edge to the right edge. */
    private void drawSpend(TimeBuckets buckets, long[] cumulative) {
        StringBuilder points = new StringBuilder();
        int[] last = {Integer.MIN_VALUE, Integer.MIN_VALUE};
        addPoint(points, last, x(start), y(0));
        if (buckets.size() > 0) {
            addPoint(points, last, x(buckets.start(0)), y(0));
            for (int i = 0; i < buckets.size(); i++) {
                addPoint(points, last, x(buckets.start(i) + buckets.width()), y(cumulative[i + 1]));
            }
        }
        addPoint(points, last, x(start + span), y(cumulative[buckets.size()]));
        int bottom = y(0);
        svg.append("<polygon fill=\"").append(LINE_COLOUR).append("\" fill-opacity=\"0.12\" stroke=\"none\" points=\"")
                .append(points).append(' ').append(last[0]).append(',').append(bottom).append(' ')
                .append(x(start)).append(',').append(bottom).append("\"/>\n");
        svg.append("<polyline class=\"spend\" fill=\"none\" stroke=\"").append(LINE_COLOUR)
                .append("\" stroke-width=\"3\" stroke-linejoin=\"round\" points=\"").append(points).append("\"/>\n");
    }

    /** A red dot per refusal, on the line at its time (interpolated within its bucket, as the line is). */
    private void drawRefusals(TimeBuckets buckets, long[] cumulative, long[] refusals) {
        for (long time : refusals) {
            int y;
            if (buckets.size() == 0 || time < buckets.start(0)) {
                y = y(0);
            } else {
                int i = (int) Math.min(buckets.size() - 1, (time - buckets.start(0)) / buckets.width());
                int before = y(cumulative[i]);
                int after = y(cumulative[i + 1]);
                long into = Math.min(buckets.width(), time - buckets.start(i));
                y = before + (int) ((after - before) * into / buckets.width());
            }
            svg.append("<circle class=\"refusal\" cx=\"").append(x(time)).append("\" cy=\"").append(y)
                    .append("\" r=\"6\" fill=\"").append(REFUSAL_COLOUR).append("\"><title>refused at ")
                    .append(Instant.ofEpochMilli(time)).append("</title></circle>\n");
        }
    }

    private static void addPoint(StringBuilder points, int[] last, int x, int y) {
        if (x == last[0] && y == last[1]) {
            return;
        }
        if (!points.isEmpty()) {
            points.append(' ');
        }
        points.append(x).append(',').append(y);
        last[0] = x;
        last[1] = y;
    }

    private int x(long time) {
        long offset = Math.max(0, Math.min(span, time - start));
        return LEFT + (int) (offset * PLOT_WIDTH / span);
    }

    private int y(long micros) {
        return TOP + PLOT_HEIGHT - (int) (Math.max(0, Math.min(scaleMicros, micros)) * PLOT_HEIGHT / scaleMicros);
    }

    private void line(int x1, int y1, int x2, int y2, String colour) {
        svg.append("<line x1=\"").append(x1).append("\" y1=\"").append(y1).append("\" x2=\"").append(x2)
                .append("\" y2=\"").append(y2).append("\" stroke=\"").append(colour).append("\" stroke-width=\"1\"/>\n");
    }

    private void text(int x, int y, String anchor, String colour, String text) {
        svg.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor)
                .append("\" fill=\"").append(colour).append("\">").append(Html.escape(text)).append("</text>\n");
    }

    /** The smallest 1, 2 or 5 times a power of ten that is at least {@code atLeast}: tick steps a reader can add up. */
    static long niceStep(long atLeast) {
        long power = 1;
        while (true) {
            for (long factor : new long[] {1, 2, 5}) {
                if (factor * power >= atLeast) {
                    return factor * power;
                }
            }
            power *= 10;
        }
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
