package org.paxosdns.comms;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.function.Consumer;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.ServerEntry;
import org.paxosdns.identity.ServerKeys;
import org.paxosdns.identity.Signatures;
import org.paxosdns.identity.SigningPurpose;
import org.paxosdns.proto.Finished;
import org.paxosdns.proto.Hello;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.PeerFrame;
import org.paxosdns.proto.Sealed;
import org.paxosdns.proto.SessionMessage;
import org.paxosdns.proto.SessionRecord;
import org.paxosdns.proto.SignedHello;

/**
 * A test client speaking the peer protocol by hand over a blocking socket, so tests can forge
 * Hellos, replay them, and break the record layer in every way the mesh must refuse.
 */
final class RawPeer implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 30_000;
    private static final int FRAMES_BEFORE_CLOSE_MAX = 100;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final LocalNode self;
    private final ServerEntry target;
    private final SecureRandom random = new SecureRandom();
    private RecordCipher sealer;
    private RecordCipher opener;
    private Handshakes.DialerHello lastHello;

    private RawPeer(Socket socket, LocalNode self, ServerEntry target) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
        this.self = self;
        this.target = target;
        socket.setSoTimeout(READ_TIMEOUT_MS);
    }

    /** Connects to {@code address} as server {@code selfIndex} of {@code roster}, aiming at {@code targetIndex}. */
    static RawPeer connect(InetSocketAddress address, Roster roster, int selfIndex, ServerKeys keys, int targetIndex)
            throws IOException {
        LocalNode self = new LocalNode(roster, roster.server(selfIndex), keys, roster.clusterId());
        return new RawPeer(new Socket(address.getAddress(), address.getPort()), self, roster.server(targetIndex));
    }

    /** A valid signed Hello from this peer to its target. */
    Handshakes.DialerHello validHello() {
        lastHello = Handshakes.hello(self, target, random, System.currentTimeMillis());
        return lastHello;
    }

    /** A valid Hello with {@code edit} applied, signed by {@code signer} for {@code clusterId}. */
    SignedHello forgedHello(Consumer<Hello.Builder> edit, PrivateKey signer, byte[] clusterId) {
        try {
            Hello.Builder hello = Hello.parseFrom(validHello().helloBytes()).toBuilder();
            edit.accept(hello);
            byte[] bytes = hello.build().toByteArray();
            byte[] sig = Signatures.sign(signer, SigningPurpose.HELLO, clusterId, bytes);
            return SignedHello.newBuilder().setHello(ByteString.copyFrom(bytes)).setDigSig(ByteString.copyFrom(sig)).build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    SignedHello forgedHello(Consumer<Hello.Builder> edit) {
        return forgedHello(edit, self.keys().signing().getPrivate(), self.clusterId());
    }

    void sendHello(SignedHello hello) throws IOException {
        send(WireFormat.frame().setHello(hello).build());
    }

    /** Runs the whole dialer handshake; afterwards records can be sealed and opened. */
    void handshake() throws IOException {
        confirm(beginHandshake());
    }

    /** Sends a Hello and takes the HelloAck and keys, but does not confirm with Finished yet. */
    byte[] beginHandshake() throws IOException {
        Handshakes.DialerHello hello = validHello();
        sendHello(hello.frame());
        PeerFrame ackFrame = read();
        if (ackFrame == null || !ackFrame.hasHelloAck()) {
            throw new IOException("expected a HelloAck, got " + ackFrame);
        }
        Handshakes.AcceptedAck ack;
        try {
            ack = Handshakes.checkAck(self, target, hello, ackFrame.getHelloAck());
        } catch (PeerProtocolException e) {
            throw new IOException("HelloAck refused: " + e.code() + " " + e.getMessage(), e);
        }
        Handshakes.SessionSecrets secrets = Handshakes.derive(hello.helloBytes(), ack.ackBytes(), hello.salt(),
                ack.salt(), hello.share(), ack.share());
        sealer = RecordCipher.sealer(secrets.dialerToAcceptor(), Long.MAX_VALUE, Long.MAX_VALUE);
        opener = RecordCipher.opener(secrets.acceptorToDialer(), Long.MAX_VALUE, Long.MAX_VALUE);
        return secrets.transcriptHash();
    }

    /** Sends Finished and reads the acceptor's. */
    void confirm(byte[] transcriptHash) throws IOException {
        sendRecord(SessionMessage.newBuilder()
                .setFinished(Finished.newBuilder().setTranscriptHash(ByteString.copyFrom(transcriptHash)))
                .build());
        SessionRecord finished = openRecord(read());
        if (finished.getMessagesCount() == 0 || !finished.getMessages(0).hasFinished()) {
            throw new IOException("expected Finished, got " + finished);
        }
    }

    /** Reads records until an AppMsg arrives; returns its contents, or null when the connection closed. */
    byte[] awaitAppMsg() throws IOException {
        for (PeerFrame frame = read(); frame != null; frame = read()) {
            if (frame.hasSealed()) {
                for (SessionMessage message : openRecord(frame).getMessagesList()) {
                    if (message.hasAppMsg()) {
                        return message.getAppMsg().getContents().toByteArray();
                    }
                }
            }
        }
        return null;
    }

    Handshakes.DialerHello lastHello() {
        return lastHello;
    }

    /** Seals one record holding {@code message} and returns it unsent. */
    Sealed seal(SessionMessage message) {
        byte[] plain = SessionRecord.newBuilder().addMessages(message).build().toByteArray();
        return Sealing.seal(sealer, plain);
    }

    /** Seals arbitrary plaintext (not necessarily a SessionRecord). */
    Sealed sealPlaintext(byte[] plain) {
        return Sealing.seal(sealer, plain);
    }

    void sendRecord(SessionMessage message) throws IOException {
        sendSealed(seal(message));
    }

    void sendSealed(Sealed sealed) throws IOException {
        send(WireFormat.frame().setSealed(sealed).build());
    }

    void send(PeerFrame frame) throws IOException {
        byte[] bytes = frame.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame, or null when the peer closed the connection. */
    PeerFrame read() throws IOException {
        try {
            int length = in.readInt();
            byte[] body = new byte[length];
            in.readFully(body);
            return PeerFrame.parseFrom(body);
        } catch (EOFException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw new IOException("no frame within " + READ_TIMEOUT_MS + " ms", e);
        } catch (IOException e) {
            return null; // connection reset counts as closed
        }
    }

    private SessionRecord openRecord(PeerFrame frame) throws IOException {
        if (frame == null || !frame.hasSealed()) {
            throw new IOException("expected a sealed record, got " + frame);
        }
        try {
            return SessionRecord.parseFrom(opener.open(frame.getSealed()));
        } catch (PeerProtocolException e) {
            throw new IOException("record from the mesh refused: " + e.code(), e);
        }
    }

    /**
     * Reads until the mesh sends an Error (in clear or sealed), skipping KeepAlives and the
     * like; returns its code, or null when the connection closed without one.
     */
    PeerErrorCode awaitError() throws IOException {
        for (PeerFrame frame = read(); frame != null; frame = read()) {
            if (frame.hasError()) {
                return frame.getError().getErrCode();
            }
            if (frame.hasSealed() && opener != null) {
                for (SessionMessage message : openRecord(frame).getMessagesList()) {
                    if (message.hasError()) {
                        return message.getError().getErrCode();
                    }
                }
            }
        }
        return null;
    }

    /**
     * True once the mesh closes the connection: reads reach end of stream, after at most a few
     * frames it sent before closing (KeepAlives). Waits at most the read timeout.
     */
    boolean closedByPeer() throws IOException {
        for (int i = 0; i < FRAMES_BEFORE_CLOSE_MAX; i++) {
            if (read() == null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
