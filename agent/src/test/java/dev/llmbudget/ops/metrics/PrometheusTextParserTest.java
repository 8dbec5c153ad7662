package dev.llmbudget.ops.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tests' parser parses the text format, and refuses what is not in it: it is a check, not a search. */
class PrometheusTextParserTest {

    @Test
    void parsesHelpTypeLabelsEscapesSpecialValuesAndTimestamps() {
        PrometheusTextParser.Scrape scrape = PrometheusTextParser.parse("""
                # a comment, ignored
                # HELP http_requests_total The total number of HTTP requests.\\nTwo lines, one \\\\ backslash.
                # TYPE http_requests_total counter
                http_requests_total{method="post",code="200"} 1027 1395066363000
                http_requests_total{method="post",code="400"}    3 1395066363000
                http_requests_total{ path = "C:\\\\DIR\\\\FILE.TXT" , quote="say \\"hi\\"\\n" , } 1.5e3

                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.05"} 24054
                latency_seconds_bucket{le="1.0E-1"} 33444
                latency_seconds_bucket{le="+Inf"} 144320
                latency_seconds_sum 53423
                latency_seconds_count 144320
                odd_values{kind="nan"} NaN
                odd_values{kind="minus"} -Inf
                odd_values{kind="plus"} +Inf
                no_labels -.5e-3
                """);

        assertEquals("The total number of HTTP requests.\nTwo lines, one \\ backslash.", scrape.helps().get("http_requests_total"));
        assertEquals(Map.of("http_requests_total", "counter", "latency_seconds", "histogram"), scrape.types());
        assertEquals(1027, scrape.value("http_requests_total", "method", "post", "code", "200"));
        assertEquals(1395066363000L, scrape.samples("http_requests_total").get(0).timestampMillis());
        assertEquals(1500, scrape.value("http_requests_total", "path", "C:\\DIR\\FILE.TXT", "quote", "say \"hi\"\n"));
        assertEquals(2530, scrape.sum("http_requests_total"));
        assertEquals(1030, scrape.sum("http_requests_total", "method", "post"));
        assertEquals(List.of(0.05, 0.1, Double.POSITIVE_INFINITY), List.copyOf(scrape.buckets("latency_seconds").keySet()));
        assertEquals(144320, scrape.buckets("latency_seconds").lastEntry().getValue());
        assertTrue(Double.isNaN(scrape.value("odd_values", "kind", "nan")));
        assertEquals(Double.NEGATIVE_INFINITY, scrape.value("odd_values", "kind", "minus"));
        assertEquals(Double.POSITIVE_INFINITY, scrape.value("odd_values", "kind", "plus"));
        assertEquals(-0.0005, scrape.value("no_labels"));
        assertEquals(12, scrape.samples().size());
    }

    @Test
    void rejectsWhatIsNotTheTextFormat() {
        List<String> malformed = List.of(
                "metric",                                     // no value
                "metric{} ",                                  // no value after the blank
                "metric 1 2 3",                               // trailing text
                "metric one",                                 // not a number
                "metric 0x10",                                // a Java literal, not a Prometheus value
                "metric Infinity",                            // likewise
                "metric 1 12.5",                              // a timestamp is an integer
                "9metric 1",                                  // a name cannot start with a digit
                "met-ric 1",                                  // nor hold a dash
                "metric{a=\"1\" 1",                           // labels not closed
                "metric{a=\"1} 1",                            // value not closed
                "metric{a=1} 1",                              // value not quoted
                "metric{a=\"\\t\"} 1",                        // unknown escape
                "metric{a=\"1\"b=\"2\"} 1",                   // no comma
                "metric{a=\"1\",a=\"2\"} 1",                  // a label twice
                "metric{1a=\"1\"} 1",                         // a bad label name
                "metric{a=\"1\"}1",                           // no blank before the value
                "metric 1\nmetric 2",                         // the same sample twice
                "a 1\nb 1\na{x=\"y\"} 1",                     // one metric in two groups
                "# TYPE metric counter\n# TYPE metric gauge", // a second TYPE
                "# HELP metric one\n# HELP metric two",       // a second HELP
                "# TYPE metric countr",                       // an unknown type
                "# TYPE 9metric counter",                     // a bad name in TYPE
                "metric 1\n# TYPE metric counter",            // TYPE after the samples
                "h_bucket{le=\"1\"} 1\n# TYPE h histogram",   // likewise, for a histogram
                "# TYPE h histogram\nh_bucket 1",             // a bucket without le
                "# TYPE h histogram\nh_bucket{le=\"x\"} 1",   // an le that is no number
                "# HELP metric ends in \\",                   // a lone backslash in HELP
                "# HELP metric bad \\t escape");              // an unknown escape in HELP
        for (String text : malformed) {
            IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class,
                    () -> PrometheusTextParser.parse(text + "\n"), () -> "accepted: " + text);
            assertTrue(rejected.getMessage().startsWith("line "), rejected::getMessage);
        }
    }
}
