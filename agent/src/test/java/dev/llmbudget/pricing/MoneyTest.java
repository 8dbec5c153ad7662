package dev.llmbudget.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "25         | 25000000",
            "25.00      | 25000000",
            "0.000150   | 150",
            "0.000001   | 1",
            "0          | 0",
            "$1.5       | 1500000",
            "'  3.25  ' | 3250000",
            "0.1234560  | 123456",
            "9223372036854.775807 | 9223372036854775807",
    })
    void parsesDecimalUsdToMicros(String text, long micros) {
        assertEquals(micros, Money.parseUsd(text));
    }

    @Test
    void acceptsExponentNotationAsBigDecimalDoes() {
        assertEquals(1_000_000_000L, Money.parseUsd("1e3"));
        assertEquals(2_500_000L, Money.parseUsd("2.5E0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"25,00", "abc", "", "1.2.3", "twenty"})
    void rejectsTextThatIsNotADecimalNumber(String text) {
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> Money.parseUsd(text));
        assertEquals("not a decimal number", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-0.000001", "$-5"})
    void rejectsNegativeAmounts(String text) {
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> Money.parseUsd(text));
        assertEquals("must not be negative", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0000001", "1.0000005", "0.00000015"})
    void rejectsMoreThanSixDecimalsInsteadOfRoundingThem(String text) {
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> Money.parseUsd(text));
        assertTrue(e.getMessage().contains("six decimal places"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854.775808", "10000000000000", "1e20"})
    void rejectsAmountsThatOverflowALongOfMicros(String text) {
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> Money.parseUsd(text));
        assertEquals("too large", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "12340000 | $12.34",
            "25000000 | $25.00",
            "0        | $0.00",
            "1        | $0.000001",
            "150      | $0.00015",
            "10000    | $0.01",
            "1234567  | $1.234567",
            "-1500000 | -$1.50",
            "-1       | -$0.000001",
    })
    void formatsMicrosAsUsd(long micros, String text) {
        assertEquals(text, Money.format(micros));
    }

    @Test
    void formatAndParseRoundTrip() {
        for (long micros : new long[] {0, 1, 99, 10_000, 1_234_567, 25_000_000, Long.MAX_VALUE}) {
            assertEquals(micros, Money.parseUsd(Money.format(micros)), () -> "round trip of " + micros);
        }
    }

    @Test
    void formatsTheExtremes() {
        assertEquals("$9223372036854.775807", Money.format(Long.MAX_VALUE));
        assertEquals("-$9223372036854.775808", Money.format(Long.MIN_VALUE));
    }

    @Test
    void convertsLiteLlmPerTokenPricesExactly() {
        // $2.50 / MTok, $0.15 / MTok, $0.075 / MTok: exact, no floating point drift
        assertEquals(2_500_000L, Money.perTokenUsdToMicrosPerMTok(new BigDecimal("2.5e-6")));
        assertEquals(150_000L, Money.perTokenUsdToMicrosPerMTok(new BigDecimal("1.5e-7")));
        assertEquals(75_000L, Money.perTokenUsdToMicrosPerMTok(new BigDecimal("7.5e-8")));
        assertEquals(0L, Money.perTokenUsdToMicrosPerMTok(BigDecimal.ZERO));
    }

    @Test
    void perTokenPriceBelowOnePicoUsdRoundsUpNeverDown() {
        assertEquals(1L, Money.perTokenUsdToMicrosPerMTok(new BigDecimal("1e-13")));
        assertEquals(2L, Money.perTokenUsdToMicrosPerMTok(new BigDecimal("1.0000001e-12")));
    }

    @Test
    void convertsPublishedPerMillionPrices() {
        assertEquals(2_500_000L, Money.perMTokUsdToMicrosPerMTok("2.50"));
        assertEquals(75_000L, Money.perMTokUsdToMicrosPerMTok("0.075"));
        assertThrows(NumberFormatException.class, () -> Money.perMTokUsdToMicrosPerMTok("2,50"));
    }
}
