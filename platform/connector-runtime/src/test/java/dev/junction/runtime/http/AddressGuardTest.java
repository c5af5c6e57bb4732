package dev.junction.runtime.http;

import dev.junction.spi.HttpCall;
import dev.junction.spi.PermanentConnectorException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SSRF guard: names that resolve inside the network are refused before any connection is made. */
class AddressGuardTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A resolver with fixed answers, as a hostile DNS zone would give them. */
    private static AddressGuard guard(Map<String, String> zone, Set<String> trusted) {
        return new AddressGuard(true, trusted, host -> {
            String a = zone.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {ip(a)};
        });
    }

    @Test
    void internalAddressesAreRefused() {
        for (String a : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"}) {
            PermanentConnectorException e = assertThrows(PermanentConnectorException.class,
                    () -> guard(Map.of("bucket.storage.example.com", a), Set.of()).check("bucket.storage.example.com"), a);
            assertEquals("address_not_allowed", e.code(), a);
        }
    }

    @Test
    void publicAddressesTrustedHostsAndTheOperatorsOptOutPass() {
        assertDoesNotThrow(() -> guard(Map.of("api.sendgrid.com", "93.184.216.34"), Set.of()).check("api.sendgrid.com"));
        assertDoesNotThrow(() -> guard(Map.of("api.sendgrid.com", "2606:2800:220:1::1"), Set.of()).check("api.sendgrid.com"));
        // the operator named this host in a base URL (a local fake, an internal proxy)
        assertDoesNotThrow(() -> guard(Map.of("fake.local", "127.0.0.1"), Set.of("fake.local")).check("FAKE.local"));
        assertDoesNotThrow(() -> AddressGuard.OFF.check("127.0.0.1"));
        // an unresolvable name is left to the call, which fails to connect as usual
        assertDoesNotThrow(() -> guard(Map.of(), Set.of()).check("nowhere.example.com"));
    }

    @Test
    void theClientRefusesBeforeConnecting() {
        PolicyHttpClient client = new PolicyHttpClient(PolicyHttpClient.defaultJdkClient(), Set.of("*.storage.example.com"), 100,
                Clock.systemUTC(), Sleeper.SYSTEM, attempt -> { }, guard(Map.of("x.storage.example.com", "127.0.0.1"), Set.of()));
        PermanentConnectorException e = assertThrows(PermanentConnectorException.class,
                () -> client.send(HttpCall.get(URI.create("http://x.storage.example.com:1/export.csv")).build()));
        assertEquals("address_not_allowed", e.code());
    }
}
