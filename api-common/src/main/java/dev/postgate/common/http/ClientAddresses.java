package dev.postgate.common.http;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The client address of a request, as the per-address limits count it (SPEC section 6): the TCP
 * peer, or, when the peer is a configured proxy ({@link HttpConfig#trustedProxies}), the
 * right-most {@code X-Forwarded-For} entry that is not a configured proxy. The proxy and the
 * Ingress overwrite that header with the address they saw, so a client cannot choose it. IPv6
 * addresses count per /64 (one customer's network), shown as {@code 2001:db8:1:2::/64}.
 * Addresses are parsed as literals only: never a DNS lookup.
 */
@ApplicationScoped
public class ClientAddresses {
    private final List<Block> proxies;

    @Inject
    public ClientAddresses(HttpConfig config) {
        this(config.trustedProxies());
    }

    ClientAddresses(List<String> trustedProxies) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (!entry.isBlank()) {
                blocks.add(Block.parse(entry.strip()));
            }
        }
        this.proxies = List.copyOf(blocks);
    }

    public String of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        String peer = remote == null ? null : remote.hostAddress();
        return of(peer, request.headers().getAll("X-Forwarded-For"));
    }

    /** The client address for a peer and the values of its X-Forwarded-For headers (in order). */
    String of(String peer, List<String> forwardedFor) {
        byte[] peerBytes = peer == null ? null : NetUtil.createByteArrayFromIpAddressString(peer);
        if (peerBytes == null) {
            return "unknown";
        }
        if (isProxy(peerBytes)) {
            List<String> entries = new ArrayList<>();
            for (String value : forwardedFor) {
                for (String entry : value.split(",")) {
                    entries.add(entry.strip());
                }
            }
            for (int i = entries.size() - 1; i >= 0; i--) {
                byte[] hop = NetUtil.createByteArrayFromIpAddressString(withoutBrackets(entries.get(i)));
                if (hop == null) {
                    // Not an address (a proxy would never write this): the peer stays the client.
                    break;
                }
                if (!isProxy(hop)) {
                    return label(hop);
                }
            }
        }
        return label(peerBytes);
    }

    private boolean isProxy(byte[] address) {
        for (Block block : proxies) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String withoutBrackets(String entry) {
        return entry.startsWith("[") && entry.endsWith("]") ? entry.substring(1, entry.length() - 1) : entry;
    }

    /** IPv4 as is; IPv6 as its /64 (an IPv4-mapped IPv6 address is the IPv4 address). */
    private static String label(byte[] address) {
        if (address.length == 4) {
            return NetUtil.bytesToIpAddress(address);
        }
        if (isIpv4Mapped(address)) {
            return NetUtil.bytesToIpAddress(address, 12, 4);
        }
        byte[] prefix = new byte[16];
        System.arraycopy(address, 0, prefix, 0, 8);
        return NetUtil.bytesToIpAddress(prefix) + "/64";
    }

    private static boolean isIpv4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    /** An address block, {@code 10.0.0.0/8}, {@code fd00::/8} or one address. */
    private record Block(byte[] network, int prefixBits) {
        static Block parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(withoutBrackets(address));
            if (bytes == null) {
                throw new IllegalArgumentException("postgate.http.trusted-proxies: not an address or CIDR block: " + text);
            }
            int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("postgate.http.trusted-proxies: bad prefix length in " + text);
            }
            return new Block(bytes, bits);
        }

        boolean contains(byte[] address) {
            byte[] candidate = address;
            if (candidate.length != network.length) {
                if (network.length == 4 && candidate.length == 16 && isIpv4Mapped(candidate)) {
                    candidate = java.util.Arrays.copyOfRange(candidate, 12, 16);
                } else {
                    return false;
                }
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (candidate[full] & mask) == (network[full] & mask);
        }
    }
}
