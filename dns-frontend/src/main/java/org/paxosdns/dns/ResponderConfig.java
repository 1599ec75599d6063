package org.paxosdns.dns;

/**
 * What the responder says about itself and how large its UDP answers may be.
 *
 * @param identity the answer to CHAOS TXT {@code id.server} and {@code hostname.bind}
 * @param version the answer to CHAOS TXT {@code version.bind} and {@code version.server}
 * @param hideVersion when true, version queries are REFUSED
 * @param nsid the NSID (RFC 5001) given when a query asks for it; empty for none
 * @param udpPayloadMaxBytes the largest UDP answer to an EDNS query, whatever its advertised size
 */
public record ResponderConfig(String identity, String version, boolean hideVersion, String nsid,
                              int udpPayloadMaxBytes) {
    /** UDP payload of a query without EDNS (RFC 1035). */
    public static final int udpPayloadPlainBytes = 512;
    /** The default EDNS UDP payload cap (DNS flag day 2020). */
    public static final int udpPayloadDefaultBytes = 1232;
    /** The largest DNS message (RFC 1035, TCP length prefix). */
    public static final int messageMaxBytes = 65535;

    /** Checks the payload cap. */
    public ResponderConfig {
        if (udpPayloadMaxBytes < udpPayloadPlainBytes || udpPayloadMaxBytes > messageMaxBytes) {
            throw new IllegalArgumentException("udpPayloadMaxBytes out of range: " + udpPayloadMaxBytes);
        }
    }

    /** Identity {@code paxosdns}, version shown, no NSID, 1232-byte UDP cap. */
    public static ResponderConfig defaults() {
        return new ResponderConfig("paxosdns", "paxosdns", false, "", udpPayloadDefaultBytes);
    }
}
