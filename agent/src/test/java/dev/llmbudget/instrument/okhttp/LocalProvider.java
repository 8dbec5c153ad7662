package dev.llmbudget.instrument.okhttp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A local OpenAI chat-completions endpoint: JSON with usage 15 in / 40 out, an SSE stream without usage, or a failure status. */
final class LocalProvider implements AutoCloseable {
    static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Fine.\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":15,\"completion_tokens\":40,\"total_tokens\":55}}";
    static final String STREAM = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A clearer\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" version.\"}}]}\n\n"
            + "data: [DONE]\n\n";

    private final HttpServer server;
    final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    volatile int status = 200;

    LocalProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String host) {
        return "http://" + host + ":" + server.getAddress().getPort() + "/v1/chat/completions";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            boolean stream = body.replace(" ", "").contains("\"stream\":true");
            String text = status != 200 ? "{\"error\":{\"message\":\"failed\"}}" : stream ? STREAM : COMPLETION;
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
