package org.paxosdns.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** A minimal blocking DNS client for tests: real UDP and TCP sockets on 127.0.0.1. */
public final class DnsClient {
    /** Generous: the machine is shared with other builds. */
    public static final int replyTimeoutMs = 10_000;

    private DnsClient() {
    }

    /** A query with RD clear; {@code ednsPayload} null for no OPT record. */
    public static Message query(String name, int type, int dclass, Integer ednsPayload, boolean dnssecOk) {
        Message q = Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, dclass));
        q.getHeader().unsetFlag(Flags.RD);
        if (ednsPayload != null) {
            q.addRecord(new OPTRecord(ednsPayload, 0, 0, dnssecOk ? Flags.DO : 0), Section.ADDITIONAL);
        }
        return q;
    }

    /** A query of class IN. */
    public static Message query(String name, int type, Integer ednsPayload) {
        return query(name, type, DClass.IN, ednsPayload, false);
    }

    /** Sends {@code wire} over UDP and returns the reply's bytes. */
    public static byte[] udp(int port, byte[] wire) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(replyTimeoutMs);
            socket.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
            byte[] buffer = new byte[65535];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            return java.util.Arrays.copyOf(buffer, reply.getLength());
        }
    }

    /** Sends {@code wire} over a new TCP connection and returns the reply's bytes. */
    public static byte[] tcp(int port, byte[] wire) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), replyTimeoutMs);
            socket.setSoTimeout(replyTimeoutMs);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(wire.length);
            out.write(wire);
            out.flush();
            return readFrame(new DataInputStream(socket.getInputStream()));
        }
    }

    /** Reads one length-prefixed message. */
    public static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] reply = new byte[in.readUnsignedShort()];
        in.readFully(reply);
        return reply;
    }

    /** Sends {@code query} over UDP or TCP and parses the reply. */
    public static Message ask(int port, Message query, boolean tcp) throws IOException {
        byte[] wire = query.toWire();
        return new Message(tcp ? tcp(port, wire) : udp(port, wire));
    }
}
