package dev.llmbudget.ops.alerts;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmbudget.core.Alert;
import dev.llmbudget.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON an alert is POSTed as: Slack's {@code text} (an incoming webhook shows it), and the fields a generic
 * receiver reads. Money as decimal USD strings ({@code "20.13"}) and integer micro-USD; {@code percent} only on
 * a threshold alert; spend fields null when the alert is not about spend.
 */
final class WebhookBody {
    private WebhookBody() {
    }

    static byte[] of(Alert alert, String host, long pid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("text", "llm-budget-agent " + alert.kind().label() + " on " + host + ": " + alert.message());
            json.writeStringField("kind", alert.kind().label());
            json.writeStringField("time", text(alert.time()));
            json.writeStringField("rule", alert.rule());
            json.writeStringField("budget", alert.budget());
            json.writeStringField("partition", alert.partition());
            boolean spend = alert.kind() == Alert.Kind.THRESHOLD || alert.spentMicros() > 0;
            money(json, "spent", spend, alert.spentMicros());
            money(json, "limit", alert.limitMicros() > 0, alert.limitMicros());
            if (alert.thresholdBasisPoints() > 0) {
                json.writeFieldName("percent");
                json.writeNumber(AlertText.percent(alert.thresholdBasisPoints()));
            }
            json.writeStringField("windowEnd", text(alert.windowEnd()));
            json.writeStringField("message", alert.message());
            json.writeStringField("host", host);
            json.writeNumberField("pid", pid);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void money(JsonGenerator json, String name, boolean known, long micros) throws IOException {
        if (known) {
            json.writeStringField(name + "Usd", AlertText.usd(micros));
            json.writeNumberField(name + "MicroUsd", micros);
        } else {
            json.writeNullField(name + "Usd");
            json.writeNullField(name + "MicroUsd");
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
