package dev.llmbudget.ops.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmbudget.wire.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One ledger line (see {@code JsonlLedger}) to a {@link LedgerLine}, with Jackson's streaming parser: only the
 * fields the report needs are read, the others skipped, so no tree is built per line.
 */
final class LedgerLineParser {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private LedgerLineParser() {
    }

    /** A line that is not a ledger line: not JSON, cut short (a crash mid-write), or without a time or decision. */
    static final class MalformedLineException extends Exception {
        MalformedLineException(String message) {
            super(message, null, false, false);
        }
    }

    static LedgerLine parse(String text) throws MalformedLineException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedLineException("not a JSON object");
            }
            String time = null;
            String model = null;
            String tenant = null;
            String decision = null;
            String rule = null;
            List<String> budgets = List.of();
            long[] actual = {0, 0};
            long settled = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "time" -> time = parser.getValueAsString();
                    case "model" -> model = parser.getValueAsString();
                    case "tenant" -> tenant = parser.getValueAsString();
                    case "decision" -> decision = parser.getValueAsString();
                    case "rule" -> rule = parser.getValueAsString();
                    case "budgets" -> budgets = strings(parser);
                    case "actual" -> actual = tokens(parser);
                    case "settledMicroUsd" -> settled = wholeNumber(parser, name);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new MalformedLineException("more than one JSON value on the line");
            }
            if (time == null || decision == null) {
                throw new MalformedLineException("no " + (time == null ? "time" : "decision"));
            }
            return new LedgerLine(instant(time), model, tenant, decision, rule, budgets, actual[0], actual[1], settled);
        } catch (JsonProcessingException e) {
            throw new MalformedLineException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // a String source cannot fail to read; anything else Jackson throws is about the text
            throw new MalformedLineException(e.getMessage());
        }
    }

    private static List<String> strings(JsonParser parser) throws IOException, MalformedLineException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new MalformedLineException("budgets is not an array");
        }
        List<String> values = new ArrayList<>(2);
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw new MalformedLineException("budgets holds a value that is not a string");
            }
            values.add(parser.getText());
        }
        return values;
    }

    /** {@code actual}: input and output tokens the provider reported, {0, 0} when it is null. */
    private static long[] tokens(JsonParser parser) throws IOException, MalformedLineException {
        long[] tokens = {0, 0};
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return tokens;
        }
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new MalformedLineException("actual is neither an object nor null");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "inputTokens" -> tokens[0] = wholeNumber(parser, "actual.inputTokens");
                case "outputTokens" -> tokens[1] = wholeNumber(parser, "actual.outputTokens");
                default -> parser.skipChildren();
            }
        }
        return tokens;
    }

    private static long wholeNumber(JsonParser parser, String field) throws IOException, MalformedLineException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedLineException(field + " is not a whole number");
        }
        try {
            return parser.getLongValue();
        } catch (JsonProcessingException e) {
            throw new MalformedLineException(field + " is out of range");
        }
    }

    private static Instant instant(String time) throws MalformedLineException {
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new MalformedLineException("time '" + time + "' is not an ISO-8601 instant");
        }
    }
}
