package org.paxosdns.dns.net;

import java.net.InetSocketAddress;

/** One query as it arrived: its bytes, who sent it, and over which transport. */
record DnsQuery(byte[] wire, InetSocketAddress sender, boolean tcp) { }
