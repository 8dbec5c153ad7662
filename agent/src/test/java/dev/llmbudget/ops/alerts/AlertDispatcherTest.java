package dev.llmbudget.ops.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmbudget.core.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertDispatcherTest {
    @Test
    void logsOneWarnLineThenCallsEverySinkEvenAfterOneFails() {
        List<String> warnings = new ArrayList<>();
        List<Alert> heard = new ArrayList<>();
        AlertDispatcher dispatcher = new AlertDispatcher(null, warnings::add);
        dispatcher.addSink(alert -> {
            throw new IllegalStateException("broken emitter");
        });
        dispatcher.addSink(heard::add);
        Alert alert = Alert.of(Alert.Kind.CIRCUIT_OPEN, Instant.now(), "limits.circuit.failures", "model gpt-4o",
                "circuit for model gpt-4o opened\nafter 5 failures");

        dispatcher.raise(alert);
        dispatcher.raise(null);

        assertEquals(List.of("ALERT circuit for model gpt-4o opened after 5 failures"), warnings);
        assertEquals(List.of(alert), heard);
    }

    @Test
    void aFailingLogDoesNotStopTheSinks() {
        List<Alert> heard = new ArrayList<>();
        AlertDispatcher dispatcher = new AlertDispatcher(null, line -> {
            throw new IllegalStateException("log broken");
        });
        dispatcher.addSink(heard::add);
        dispatcher.raise(Alert.of(Alert.Kind.HALT, Instant.now(), "jmx:halt", null, "halted"));
        assertEquals(1, heard.size());
    }
}
