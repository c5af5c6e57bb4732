package dev.junction.plugins.sendgrid;

import dev.junction.spi.ConnectorConfig;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.ConnectorHttp;
import dev.junction.spi.EventLog;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.InstallationInfo;
import dev.junction.spi.Json;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.StateStore;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How export files are read, with downloads scripted: compression, line handling, broken downloads. The files'
 * shape (gzip, newline-delimited JSON) is what published clients report, not the spec: fake guess G11.
 */
class ContactExportsTest {

    /** Scripted bodies by URL; a body may break off after some bytes on its first downloads. */
    private static final class ScriptedHttp implements ConnectorHttp {
        final Map<String, byte[]> bodies = new HashMap<>();
        final Map<String, Integer> breaksLeft = new HashMap<>();
        final List<String> downloads = new ArrayList<>();

        @Override
        public HttpResult send(HttpCall call) {
            throw new UnsupportedOperationException("only downloads are scripted");
        }

        @Override
        public <T> T stream(HttpCall call, BodyReader<T> reader) throws ConnectorException {
            String url = call.uri().toString();
            downloads.add(url);
            byte[] body = bodies.get(url);
            InputStream in = new ByteArrayInputStream(body);
            if (breaksLeft.getOrDefault(url, 0) > 0) {
                breaksLeft.merge(url, -1, Integer::sum);
                in = breakingAfter(in, body.length / 2);
            }
            try {
                return reader.read(new HttpResult(200, Map.of(), null, 1), in);
            } catch (IOException e) {  // as the platform's client does
                throw new RetriableConnectorException("download_failed", "broke off: " + e.getMessage());
            }
        }
    }

    private static InputStream breakingAfter(InputStream in, int bytes) {
        return new FilterInputStream(in) {
            int read;

            @Override
            public int available() {
                return 0;  // like a network stream: nothing is known to be ready
            }

            @Override
            public int read() throws IOException {
                if (read++ >= bytes) {
                    throw new IOException("connection reset");
                }
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read >= bytes) {
                    throw new IOException("connection reset");
                }
                int n = super.read(b, off, Math.min(len, bytes - read));
                read += Math.max(0, n);
                return n;
            }
        };
    }

    private final ScriptedHttp http = new ScriptedHttp();
    private final TestContext base = TestContext.builder(new SendGridConnector().descriptor())
            .config(Map.of("api_key", "SG.test-key-0123456789")).build();
    private final ConnectorContext ctx = new ConnectorContext() {
        @Override
        public InstallationInfo installation() {
            return base.installation();
        }

        @Override
        public ConnectorConfig config() {
            return base.config();
        }

        @Override
        public ConnectorHttp http() {
            return http;
        }

        @Override
        public EventLog log() {
            return base.log();
        }

        @Override
        public Clock clock() {
            return base.clock();
        }

        @Override
        public StateStore state() {
            return base.state();
        }

        @Override
        public Json json() {
            return base.json();
        }

        @Override
        public Optional<String> platformSetting(String name) {
            return base.platformSetting(name);
        }
    };
    private final ContactExports exports = new ContactExports(ctx, new SendGridApi(ctx), d -> { });

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private List<Object> readAll(String... urls) throws ConnectorException {
        List<Object> ids = new ArrayList<>();
        long n = exports.read(new ContactExports.Ready("exp-1", List.of(urls), -1), line -> ids.add(line.get("contact_id")));
        assertEquals(ids.size(), n);
        return ids;
    }

    @Test
    void gzipAndPlainFilesAreBothRead() throws Exception {
        http.bodies.put("https://bucket.s3.amazonaws.com/1.json.gzip?sig=x", gzip("{\"contact_id\":\"a\"}\n{\"contact_id\":\"b\"}\n"));
        http.bodies.put("https://bucket.s3.amazonaws.com/2.json", "{\"contact_id\":\"c\"}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("a", "b", "c"), readAll("https://bucket.s3.amazonaws.com/1.json.gzip?sig=x",
                "https://bucket.s3.amazonaws.com/2.json"));
        assertEquals(2, base.eventLog().named("export file read").size());
    }

    @Test
    void crlfBlankLinesAndAMissingFinalNewlineAreTolerated() throws Exception {
        http.bodies.put("u", gzip("{\"contact_id\":\"a\"}\r\n\r\n  \n{\"contact_id\":\"b\",\"first_name\":\"Zoë\"}"));
        assertEquals(List.of("a", "b"), readAll("u"));
    }

    @Test
    void linesLongerThanAReadBufferAreJoined() throws Exception {
        String big = "x".repeat(200_000);
        http.bodies.put("u", gzip("{\"contact_id\":\"a\",\"note\":\"" + big + "\"}\n{\"contact_id\":\"b\"}\n"));
        List<Object> notes = new ArrayList<>();
        exports.read(new ContactExports.Ready("exp-1", List.of("u"), -1), line -> notes.add(line.get("note")));
        assertEquals(big, notes.get(0));
    }

    @Test
    void aLineThatIsNotAJsonObjectIsRefused() throws Exception {
        http.bodies.put("u", gzip("{\"contact_id\":\"a\"}\n[1,2]\n"));
        PermanentConnectorException e = assertThrows(PermanentConnectorException.class, () -> readAll("u"));
        assertEquals("unexpected_response", e.code());
        assertTrue(e.getMessage().contains("Line 2"), e.getMessage());
    }

    @Test
    void aDownloadThatBreaksOffIsReadAgainFromTheStart() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("{\"contact_id\":\"c").append(i).append("\"}\n");
        }
        http.bodies.put("u", text.toString().getBytes(StandardCharsets.UTF_8));
        http.breaksLeft.put("u", 2);
        List<Object> ids = new ArrayList<>();
        long n = exports.read(new ContactExports.Ready("exp-1", List.of("u"), -1), line -> ids.add(line.get("contact_id")));
        assertEquals(2000, n, "the lines of the complete reading");
        assertEquals(3, http.downloads.size());
        assertTrue(ids.size() > 2000, "lines of the broken readings were handed over too (upserts again)");
        assertEquals(2000, ids.stream().distinct().count());
        assertEquals(2, base.eventLog().named("export file retried").size());

        http.breaksLeft.put("u", ContactExports.FILE_ATTEMPTS);
        RetriableConnectorException e = assertThrows(RetriableConnectorException.class, () -> readAll("u"));
        assertEquals("download_failed", e.code());
    }
}
