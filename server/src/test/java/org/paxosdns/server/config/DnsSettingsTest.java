package org.paxosdns.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.paxosdns.dns.ResponderConfig;
import org.paxosdns.dns.net.DnsServerConfig;
import org.paxosdns.dns.net.RateLimitConfig;
import org.paxosdns.identity.HostPort;
import org.xbill.DNS.Name;

/** node.conf's dns.* settings become the front end's configuration; bad values name their key. */
class DnsSettingsTest {
    private static final DnsServerConfig base = DnsServerConfig.defaults(InetAddress.getLoopbackAddress(), 5353);

    private static DnsServerConfig apply(Map<String, String> settings) throws ConfigException {
        HostPort any = new HostPort("127.0.0.1", 1);
        NodeConfig config = new NodeConfig("node0", Path.of("cluster"), Path.of("keys"), Path.of("data"),
                any, any, any, any, Map.of(), settings);
        return DnsSettings.apply(config, base, ResponderConfig.defaults());
    }

    @Test
    void noSettingsKeepTheDefaults() throws Exception {
        DnsServerConfig cfg = apply(Map.of());
        assertEquals(base.udpSockets(), cfg.udpSockets());
        assertTrue(cfg.axfrAllowed().isEmpty() && cfg.tsigKeys().isEmpty() && cfg.notifyTargets().isEmpty());
        assertEquals(RateLimitConfig.off(), cfg.rrl());
        assertEquals(5353, cfg.port());
    }

    @Test
    void everySettingIsApplied() throws Exception {
        DnsServerConfig cfg = apply(Map.of("dns.udp-sockets", "3", "dns.axfr-allow", "127.0.0.1, ::1",
                "dns.tsig.transfer-key", "hmac-sha256:c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                "dns.notify", "127.0.0.1:5301,[::1]:5302", "dns.rrl", "200"));
        assertEquals(3, cfg.udpSockets());
        assertEquals(Set.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), cfg.axfrAllowed());
        assertEquals(1, cfg.tsigKeys().size());
        assertEquals(Name.fromString("transfer-key."), cfg.tsigKeys().get(0).name());
        assertEquals(Name.fromString("hmac-sha256."), cfg.tsigKeys().get(0).algorithm());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 5301), new InetSocketAddress("::1", 5302)),
                cfg.notifyTargets());
        assertEquals(new RateLimitConfig(200, DnsSettings.RRL_SLIP_DEFAULT), cfg.rrl());
        assertEquals(new RateLimitConfig(200, 0), apply(Map.of("dns.rrl", "200", "dns.rrl-slip", "0")).rrl());
    }

    @Test
    void badValuesNameTheirKey() {
        assertRefused("dns.udp-sockets", Map.of("dns.udp-sockets", "many"));
        assertRefused("udpSockets", Map.of("dns.udp-sockets", "0"));
        assertRefused("dns.axfr-allow", Map.of("dns.axfr-allow", "secondary.example"));
        assertRefused("dns.notify", Map.of("dns.notify", "127.0.0.1"));
        assertRefused("dns.tsig.k", Map.of("dns.tsig.k", "hmac-sha256"));
        assertRefused("dns.tsig.k", Map.of("dns.tsig.k", "hmac-sha256:not base64!"));
        assertRefused("dns.tsig.k", Map.of("dns.tsig.k", "hmac-nonsense:c2VjcmV0"));
        assertRefused("negative", Map.of("dns.rrl", "-1"));
    }

    private static void assertRefused(String messagePart, Map<String, String> settings) {
        ConfigException e = assertThrows(ConfigException.class, () -> apply(settings), settings.toString());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
