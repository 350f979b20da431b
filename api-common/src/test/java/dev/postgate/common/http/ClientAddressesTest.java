package dev.postgate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The client address the per-address limits count (SPEC section 6). */
class ClientAddressesTest {
    private final ClientAddresses addresses = new ClientAddresses(List.of("127.0.0.1/32", "::1/128", "10.0.0.0/8", "fd00::/8"));

    @Test
    void fromAPeerThatIsNotAProxyTheHeaderIsIgnored() {
        assertEquals("192.0.2.7", addresses.of("192.0.2.7", List.of("198.51.100.1")));
        assertEquals("192.0.2.7", addresses.of("192.0.2.7", List.of()));
    }

    @Test
    void fromAProxyTheRightMostEntryThatIsNotAProxyCounts() {
        assertEquals("198.51.100.1", addresses.of("127.0.0.1", List.of("198.51.100.1")));
        assertEquals("198.51.100.2", addresses.of("10.1.2.3", List.of("198.51.100.1, 198.51.100.2, 10.4.5.6")));
        assertEquals("198.51.100.2", addresses.of("10.1.2.3", List.of("198.51.100.1", " 198.51.100.2 ,10.9.9.9")));
        assertEquals("127.0.0.1", addresses.of("127.0.0.1", List.of()), "no header: the proxy itself");
        assertEquals("10.0.0.1", addresses.of("10.0.0.1", List.of("10.0.0.2")), "only proxies: the peer");
    }

    @Test
    void anEntryThatIsNotAnAddressIsNeverLookedUpAndLeavesThePeer() {
        assertEquals("127.0.0.1", addresses.of("127.0.0.1", List.of("localhost")));
        assertEquals("127.0.0.1", addresses.of("127.0.0.1", List.of("198.51.100.1, evil.example")));
        assertEquals("127.0.0.1", addresses.of("127.0.0.1", List.of("unknown")));
    }

    @Test
    void ipv6CountsPerSlash64AndMappedIpv4IsIpv4() {
        assertEquals("2001:db8:1:2::/64", addresses.of("2001:db8:1:2::abcd", List.of()));
        assertEquals("2001:db8:1:2::/64", addresses.of("::1", List.of("2001:db8:1:2:ffff:1:2:3")));
        assertEquals("2001:db8:1:2::/64", addresses.of("::1", List.of("[2001:db8:1:2::9]")));
        assertEquals("198.51.100.9", addresses.of("::ffff:198.51.100.9", List.of()));
        assertEquals("198.51.100.9", addresses.of("::ffff:127.0.0.1", List.of("198.51.100.9")), "a mapped loopback is a proxy");
        assertEquals("198.51.100.9", addresses.of("fd12::1", List.of("198.51.100.9")));
    }

    @Test
    void aBadProxyEntryIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddresses(List.of("proxy.example")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddresses(List.of("10.0.0.0/33")));
    }
}
