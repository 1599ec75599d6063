package org.paxosdns.dns.net;

import java.net.InetSocketAddress;

/** One TCP query as it arrived: its bytes and who sent it. */
record DnsQuery(byte[] wire, InetSocketAddress sender) { }
