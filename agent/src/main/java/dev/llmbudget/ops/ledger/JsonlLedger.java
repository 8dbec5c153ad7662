package dev.llmbudget.ops.ledger;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.llmbudget.core.CallRecord;
import dev.llmbudget.core.CallScope;
import dev.llmbudget.core.CallRecorder;
import dev.llmbudget.core.LlmCall;
import dev.llmbudget.core.Usage;
import dev.llmbudget.log.AgentLog;
import dev.llmbudget.wire.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The ledger: one JSON line per guarded call, appended to {@code ledger.path}. Lines are written by
 * one background thread so the caller's thread never waits on the disk; the queue is bounded and a
 * full queue makes the caller wait rather than drop a line. Flushed whenever the queue runs empty
 * and at JVM shutdown.
 */
public final class JsonlLedger implements CallRecorder, AutoCloseable {
    private static final int QUEUE_CAPACITY = 65_536;
    private static final CallRecord STOP = new CallRecord(null, null, null, 0, null, 0, null, 0, 0, List.of(), null,
            null, null, null, 0, 0, null);

    private final Path path;
    private final BlockingQueue<CallRecord> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final OutputStream out;
    private final JsonGenerator json;
    private final Thread writer;
    private volatile boolean closed;

    private JsonlLedger(Path path, OutputStream out) throws IOException {
        this.path = path;
        this.out = out;
        this.json = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
        this.json.setRootValueSeparator(new SerializedString(""));
        this.writer = new Thread(this::writeLoop, "llm-budget-agent-ledger");
        this.writer.setDaemon(true);
    }

    /** Opens (creating folders and the file as needed) and starts the writer. */
    public static JsonlLedger open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
        JsonlLedger ledger = new JsonlLedger(path, out);
        ledger.writer.start();
        return ledger;
    }

    public Path path() {
        return path;
    }

    @Override
    public void record(CallRecord record) {
        if (closed) {
            AgentLog.once("ledger-closed", AgentLog.Level.WARN, "a call ended after the ledger was closed at shutdown;"
                    + " it is not in the ledger", null);
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(record);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued and closes the file. Waits up to five seconds for the writer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.offer(STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        List<CallRecord> batch = new ArrayList<>(256);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, 4096);
                for (CallRecord record : batch) {
                    if (record == STOP) {
                        json.flush();
                        out.close();
                        return;
                    }
                    write(record);
                }
                batch.clear();
                if (queue.isEmpty()) {
                    json.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            AgentLog.error("cannot write the ledger " + path + "; calls are still guarded but no longer recorded", e);
        }
    }

    private void write(CallRecord record) throws IOException {
        LlmCall call = record.call();
        json.writeStartObject();
        json.writeStringField("time", record.time().toString());
        json.writeStringField("callId", record.callId());
        json.writeStringField("provider", call.provider());
        json.writeStringField("endpoint", call.endpoint());
        json.writeStringField("model", call.model());
        if (call.library() != null) {
            json.writeStringField("library", call.library());
        }
        json.writeStringField("apiKey", call.keyFingerprint());
        CallScope scope = record.scope() == null ? CallScope.NONE : record.scope();
        json.writeStringField("task", scope.run() == null ? null : scope.run().id());
        json.writeStringField("tenant", scope.tenant());
        json.writeBooleanField("stream", call.stream());
        json.writeStringField("decision", record.decision());
        json.writeStringField("outcome", record.outcome().label());
        json.writeStringField("rule", record.rule());
        json.writeArrayFieldStart("budgets");
        for (String budget : record.budgets()) {
            json.writeString(budget);
        }
        json.writeEndArray();
        json.writeObjectFieldStart("estimated");
        json.writeNumberField("inputTokens", record.inputTokensEstimated());
        json.writeStringField("inputTokenCount", record.tokenCountMethod());
        json.writeNumberField("outputTokens", record.outputTokensAssumed());
        json.writeEndObject();
        Usage usage = record.usage();
        if (usage == null) {
            json.writeNullField("actual");
        } else {
            json.writeObjectFieldStart("actual");
            json.writeNumberField("inputTokens", usage.inputTokens());
            json.writeNumberField("cachedInputTokens", usage.cachedInputTokens());
            json.writeNumberField("cacheWriteTokens", usage.cacheWriteTokens());
            json.writeNumberField("outputTokens", usage.outputTokens());
            json.writeNumberField("reasoningTokens", usage.reasoningTokens());
            json.writeEndObject();
        }
        json.writeNumberField("reservedMicroUsd", record.reservedMicros());
        json.writeNumberField("settledMicroUsd", record.settledMicros());
        json.writeStringField("detail", record.detail());
        json.writeNumberField("durationMs", record.durationMillis());
        if (record.decisionNanos() > 0) {
            json.writeNumberField("decisionMicros", record.decisionNanos() / 1_000);
        }
        if (record.httpAttempts() > 0) {
            json.writeNumberField("httpAttempts", record.httpAttempts());
        }
        json.writeEndObject();
        json.writeRaw('\n');
    }
}
