package dev.junction.runtime.http;

import dev.junction.spi.PermanentConnectorException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses connector calls to addresses inside the platform's network: loopback, private (RFC 1918,
 * IPv6 unique-local), link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, unspecified
 * and multicast. The allowed-host list says which names a connector may call; this guard stops a
 * name that resolves inward (a vendor's pre-signed download URL on a wildcard domain, a DNS record
 * pointed at 127.0.0.1) from reaching the platform's own services.
 *
 * <p>Hosts the operator named in a connector base URL ({@code JUNCTION_<CONNECTOR>_API_URL}) are
 * trusted: the operator chose them, e.g. a local fake or an internal proxy. The whole guard can be
 * turned off by the operator ({@code JUNCTION_HTTP_ALLOW_PRIVATE_ADDRESSES=true}).
 *
 * <p>The check resolves the name before the call and the JDK client resolves it again, so a DNS
 * answer that changes between the two (rebinding) is not covered; an egress proxy or network
 * policy is the complete control, and the README says so.
 */
public final class AddressGuard {

    /** Resolves a host name to all its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** No guard: every address allowed (tests of the HTTP client itself, the testkit). */
    public static final AddressGuard OFF = new AddressGuard(false, Set.of(), InetAddress::getAllByName);

    private final boolean enabled;
    private final Set<String> trustedHosts;
    private final Resolver resolver;

    /**
     * @param enabled      false allows every address (the operator's explicit setting)
     * @param trustedHosts host names the operator configured, allowed whatever they resolve to
     * @param resolver     name resolution ({@link InetAddress#getAllByName} in production)
     */
    public AddressGuard(boolean enabled, Set<String> trustedHosts, Resolver resolver) {
        this.enabled = enabled;
        this.trustedHosts = trustedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /** A guard that resolves with the system resolver. */
    public static AddressGuard refusingPrivate(Set<String> trustedHosts) {
        return new AddressGuard(true, trustedHosts, InetAddress::getAllByName);
    }

    /** Throws {@code address_not_allowed} when {@code host} resolves to an address inside the network. */
    public void check(String host) throws PermanentConnectorException {
        if (!enabled || trustedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return; // the call itself fails to connect, with the client's usual retriable error
        }
        for (InetAddress a : addresses) {
            if (internal(a)) {
                throw new PermanentConnectorException("address_not_allowed", "This connector may not call " + host
                        + ": it resolves to an address inside the platform's network (loopback, private or link-local)");
            }
        }
    }

    /** Whether {@code a} is loopback, private, link-local, carrier-grade NAT, unspecified or multicast. */
    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 198 && (second == 18 || second == 19));
        }
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique-local
        }
        return false;
    }
}
