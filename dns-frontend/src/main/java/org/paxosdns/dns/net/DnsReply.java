package org.paxosdns.dns.net;

import java.net.InetSocketAddress;

/** One encoded response and where it goes (the recipient matters for UDP only). */
record DnsReply(byte[] wire, InetSocketAddress recipient) { }
