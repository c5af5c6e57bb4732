package dev.junction.fakevendor;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** Writing an answer on the JDK's HTTP server. */
public final class HttpAnswers {
    private HttpAnswers() {
    }

    /**
     * Sends a status, headers and a body (or none).
     *
     * @param exchange the exchange
     * @param status the status
     * @param headers extra headers, set before the body's content type
     * @param contentType the body's content type (ignored without a body)
     * @param body the body, or null for none
     * @throws IOException when the client went away
     */
    public static void send(HttpExchange exchange, int status, Map<String, String> headers, String contentType,
            byte[] body) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
