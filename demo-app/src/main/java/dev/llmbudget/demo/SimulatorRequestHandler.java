package dev.llmbudget.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers the simulator's HTTP requests in OpenAI's wire format: chat completions with realistic
 * usage (o200k_base token counts), and OpenAI-shaped JSON errors for everything else.
 */
final class SimulatorRequestHandler implements HttpHandler {

    static final String CHAT_COMPLETIONS_PATH = "/v1/chat/completions";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger requests;

    SimulatorRequestHandler(AtomicInteger requests) {
        this.requests = requests;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!CHAT_COMPLETIONS_PATH.equals(path)) {
                sendError(exchange, 404, "Invalid URL (" + method + " " + path + ")", null);
            } else if (!"POST".equals(method)) {
                sendError(exchange, 405, "Method " + method + " not allowed on " + path, null);
            } else {
                int n = requests.incrementAndGet();
                chatCompletion(exchange, n);
            }
        } catch (RuntimeException e) {
            // Keep the SDK's view honest: a bug here is a 500, not a hung connection.
            sendError(exchange, 500, "simulator error: " + e, null);
        }
    }

    private void chatCompletion(HttpExchange exchange, int n) throws IOException {
        JsonNode request;
        try {
            request = JSON.readTree(exchange.getRequestBody());
        } catch (JsonProcessingException e) {
            sendError(exchange, 400, "We could not parse the JSON body of your request.", null);
            return;
        }
        if (request == null || !request.path("model").isTextual()) {
            sendError(exchange, 400, "you must provide a model parameter", "model");
            return;
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            sendError(exchange, 400, "'messages' must be a non-empty array", "messages");
            return;
        }

        int promptTokens = TokenCounter.TOKENS_PRIMING_REPLY;
        boolean fromReviewer = false;
        for (JsonNode message : messages) {
            String content = textOf(message.path("content"));
            promptTokens += TokenCounter.TOKENS_PER_MESSAGE + TokenCounter.count(content);
            if ("system".equals(message.path("role").asText())
                    && content.toLowerCase(Locale.ROOT).contains("reviewer")) {
                fromReviewer = true;
            }
        }

        String reply = SimulatedReplies.reply(fromReviewer, n);
        String finishReason = "stop";
        JsonNode limit = request.hasNonNull("max_completion_tokens")
                ? request.get("max_completion_tokens") : request.get("max_tokens");
        if (limit != null && limit.canConvertToInt() && limit.asInt() >= 0
                && TokenCounter.count(reply) > limit.asInt()) {
            reply = TokenCounter.truncate(reply, limit.asInt());
            finishReason = "length";
        }
        int completionTokens = TokenCounter.count(reply);

        send(exchange, 200, completionBody(n, request.get("model").asText(), reply, finishReason,
                promptTokens, completionTokens));
    }

    /** A message's text: a plain string, or the text parts of a content-part array. */
    private static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                text.append(part.get("text").asText());
            }
        }
        return text.toString();
    }

    private static ObjectNode completionBody(int n, String model, String reply, String finishReason,
                                             int promptTokens, int completionTokens) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", String.format("chatcmpl-sim%08d", n));
        body.put("object", "chat.completion");
        body.put("created", Instant.now().getEpochSecond());
        body.put("model", model);

        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", reply);
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);

        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
        promptDetails.put("cached_tokens", 0);
        promptDetails.put("audio_tokens", 0);
        ObjectNode completionDetails = usage.putObject("completion_tokens_details");
        completionDetails.put("reasoning_tokens", 0);
        completionDetails.put("audio_tokens", 0);
        completionDetails.put("accepted_prediction_tokens", 0);
        completionDetails.put("rejected_prediction_tokens", 0);

        body.put("service_tier", "default");
        body.put("system_fingerprint", "fp_simulator");
        return body;
    }

    private static void sendError(HttpExchange exchange, int status, String message, String param)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", "invalid_request_error");
        error.put("param", param);
        error.putNull("code");
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        // A fresh connection per call: on a kept-alive loopback connection, Nagle's algorithm and
        // delayed ACKs stall each request/response by ~40 ms, which made 1,000 calls take minutes.
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
