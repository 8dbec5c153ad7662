package dev.llmbudget.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money is a {@code long} of micro-USD everywhere in the agent. This class converts at the edges:
 * decimal USD text from configuration in, human-readable USD out. No floating point is involved.
 */
public final class Money {
    public static final long MICROS_PER_USD = 1_000_000L;
    private static final BigDecimal MICROS = BigDecimal.valueOf(MICROS_PER_USD);

    private Money() {
    }

    /**
     * Parses a decimal USD amount such as {@code 25}, {@code 25.00} or {@code 0.000150}.
     *
     * @throws NumberFormatException with a message fit for the user when the text is not a
     *     non-negative amount with at most six decimal places
     */
    public static long parseUsd(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("$")) {
            trimmed = trimmed.substring(1);
        }
        BigDecimal usd;
        try {
            usd = new BigDecimal(trimmed);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("not a decimal number");
        }
        if (usd.signum() < 0) {
            throw new NumberFormatException("must not be negative");
        }
        BigDecimal micros = usd.multiply(MICROS);
        if (micros.stripTrailingZeros().scale() > 0) {
            throw new NumberFormatException("more than six decimal places (the agent counts in micro-USD)");
        }
        try {
            return micros.longValueExact();
        } catch (ArithmeticException e) {
            throw new NumberFormatException("too large");
        }
    }

    /** Formats micro-USD as {@code $12.34} or, below a cent, with as many decimals as it needs. */
    public static String format(long micros) {
        BigDecimal usd = BigDecimal.valueOf(micros).divide(MICROS, 6, RoundingMode.UNNECESSARY).stripTrailingZeros();
        if (usd.scale() < 2) {
            usd = usd.setScale(2, RoundingMode.UNNECESSARY);
        }
        return (micros < 0 ? "-$" + usd.negate().toPlainString() : "$" + usd.toPlainString());
    }

    /** Converts a USD-per-token price (LiteLLM's unit, e.g. {@code 2.5e-06}) to micro-USD per million tokens. */
    public static long perTokenUsdToMicrosPerMTok(BigDecimal usdPerToken) {
        return usdPerToken.movePointRight(12).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Converts a USD-per-million-tokens price (the unit providers publish, e.g. {@code 2.50}) to micro-USD per million tokens. */
    public static long perMTokUsdToMicrosPerMTok(String usdPerMTok) {
        return parseUsd(usdPerMTok);
    }
}
