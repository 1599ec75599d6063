package org.paxosdns.comms;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.paxosdns.identity.Hashes;
import org.paxosdns.identity.IdentityException;
import org.paxosdns.identity.Keys;
import org.paxosdns.identity.NodeId;
import org.paxosdns.identity.ServerEntry;
import org.paxosdns.identity.Signatures;
import org.paxosdns.identity.SigningPurpose;
import org.paxosdns.proto.Hello;
import org.paxosdns.proto.HelloAck;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.SignedHello;
import org.paxosdns.proto.SignedHelloAck;

/**
 * The two signed handshake messages: building them, checking them, and deriving the session
 * keys from both key shares and the transcript. Pure functions of their inputs (randomness is
 * passed in); the per-connection state lives in {@link PeerConnection}.
 */
final class Handshakes {
    /** Bytes of a key share secret and of a salt. */
    static final int SHARE_BYTES = 32;
    static final int SALT_BYTES = 32;
    static final int HELLO_MSG_N = 1;
    static final int ACK_MSG_N = 2;
    private static final OAEPParameterSpec OAEP =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    private static final byte[] DIALER_TO_ACCEPTOR = label("paxosdns/v1/session dialer->acceptor");
    private static final byte[] ACCEPTOR_TO_DIALER = label("paxosdns/v1/session acceptor->dialer");

    private Handshakes() {}

    /** What the dialer keeps of its Hello until the HelloAck comes. */
    record DialerHello(SignedHello frame, byte[] helloBytes, byte[] helloHash, byte[] salt, byte[] share) {}

    /** A Hello that passed every check, and the secret share it carried. */
    record AcceptedHello(ServerEntry from, byte[] helloBytes, byte[] helloHash, byte[] salt, byte[] share, long timeMs) {}

    /** What the acceptor sends back, and the secret share it chose. */
    record AcceptorAck(SignedHelloAck frame, byte[] ackBytes, byte[] salt, byte[] share) {}

    /** A HelloAck that passed every check, and the share it carried. */
    record AcceptedAck(byte[] ackBytes, byte[] salt, byte[] share) {}

    /** Both directions' keys and the transcript hash the Finished messages confirm. */
    record SessionSecrets(byte[] dialerToAcceptor, byte[] acceptorToDialer, byte[] transcriptHash) {}

    static DialerHello hello(LocalNode self, ServerEntry peer, SecureRandom random, long nowMs) {
        byte[] salt = randomBytes(random, SALT_BYTES);
        byte[] share = randomBytes(random, SHARE_BYTES);
        byte[] helloBytes = Hello.newBuilder()
                .setMsgN(HELLO_MSG_N)
                .setId(ByteString.copyFrom(self.entry().nodeId().toBytes()))
                .setSigPubKey(ByteString.copyFrom(self.entry().signingKey().getEncoded()))
                .setCommsPubKey(ByteString.copyFrom(self.entry().commsKey().getEncoded()))
                .setTcpAddr(self.entry().peer().toString())
                .setSalt(ByteString.copyFrom(salt))
                .setClusterId(ByteString.copyFrom(self.clusterId()))
                .setKeyShare(ByteString.copyFrom(encryptShare(peer.commsKey(), share, random)))
                .setYourId(ByteString.copyFrom(peer.nodeId().toBytes()))
                .setTimeMs(nowMs)
                .build().toByteArray();
        byte[] sig = Signatures.sign(self.keys().signing().getPrivate(), SigningPurpose.HELLO, self.clusterId(), helloBytes);
        SignedHello frame = SignedHello.newBuilder()
                .setHello(ByteString.copyFrom(helloBytes)).setDigSig(ByteString.copyFrom(sig)).build();
        return new DialerHello(frame, helloBytes, Hashes.sha3(helloBytes), salt, share);
    }

    /**
     * Checks a Hello: version of the body, MsgN, cluster, addressee, sender in the roster with
     * exactly these keys, dialing direction, clock window, signature; then opens the key share.
     * Replays are the caller's concern (it remembers hashes).
     */
    static AcceptedHello checkHello(LocalNode self, SignedHello frame, long nowMs, long skewMsMax)
            throws PeerProtocolException {
        byte[] helloBytes = frame.getHello().toByteArray();
        Hello hello = parse(() -> Hello.parseFrom(helloBytes), "Hello");
        if (hello.getMsgN() != HELLO_MSG_N) {
            throw error(PeerErrorCode.BAD_MSG_N, "Hello has MsgN " + hello.getMsgN() + ", not 1");
        }
        checkCluster(self, hello.getClusterId());
        if (!hello.getYourId().equals(ByteString.copyFrom(self.entry().nodeId().toBytes()))) {
            throw error(PeerErrorCode.NOT_FOR_ME, "Hello is addressed to another node");
        }
        ServerEntry from = rosterEntry(self, hello.getId(), hello.getSigPubKey(), hello.getCommsPubKey());
        if (from.index() >= self.index()) {
            throw error(PeerErrorCode.WRONG_DIRECTION, "node " + from.index() + " must not dial node " + self.index()
                    + ": the lower index dials");
        }
        if (Math.abs(nowMs - hello.getTimeMs()) > skewMsMax) {
            throw error(PeerErrorCode.STALE_HELLO, "Hello time is more than " + skewMsMax + " ms from this node's clock");
        }
        if (!Signatures.verify(from.signingKey(), SigningPurpose.HELLO, self.clusterId(), helloBytes,
                frame.getDigSig().toByteArray())) {
            throw error(PeerErrorCode.BAD_SIGNATURE, "Hello signature does not verify with " + from.name() + "'s key");
        }
        byte[] salt = fixedLength(hello.getSalt(), SALT_BYTES, "Hello salt");
        byte[] share = decryptShare(self.keys().comms().getPrivate(), hello.getKeyShare());
        return new AcceptedHello(from, helloBytes, Hashes.sha3(helloBytes), salt, share, hello.getTimeMs());
    }

    static AcceptorAck ack(LocalNode self, AcceptedHello hello, SecureRandom random) {
        byte[] salt = randomBytes(random, SALT_BYTES);
        byte[] share = randomBytes(random, SHARE_BYTES);
        byte[] ackBytes = HelloAck.newBuilder()
                .setMsgN(ACK_MSG_N)
                .setId(ByteString.copyFrom(self.entry().nodeId().toBytes()))
                .setYourMsgN(HELLO_MSG_N)
                .setYourId(ByteString.copyFrom(hello.from().nodeId().toBytes()))
                .setSalt(ByteString.copyFrom(salt))
                .setKeyShare(ByteString.copyFrom(encryptShare(hello.from().commsKey(), share, random)))
                .setHelloHash(ByteString.copyFrom(hello.helloHash()))
                .setClusterId(ByteString.copyFrom(self.clusterId()))
                .build().toByteArray();
        byte[] sig = Signatures.sign(self.keys().signing().getPrivate(), SigningPurpose.ACK, self.clusterId(), ackBytes);
        SignedHelloAck frame = SignedHelloAck.newBuilder()
                .setHelloAck(ByteString.copyFrom(ackBytes)).setDigSig(ByteString.copyFrom(sig)).build();
        return new AcceptorAck(frame, ackBytes, salt, share);
    }

    /** Checks a HelloAck answers exactly {@code sent}, comes from {@code peer} and verifies. */
    static AcceptedAck checkAck(LocalNode self, ServerEntry peer, DialerHello sent, SignedHelloAck frame)
            throws PeerProtocolException {
        byte[] ackBytes = frame.getHelloAck().toByteArray();
        HelloAck ack = parse(() -> HelloAck.parseFrom(ackBytes), "HelloAck");
        if (ack.getMsgN() != ACK_MSG_N || ack.getYourMsgN() != HELLO_MSG_N) {
            throw error(PeerErrorCode.BAD_MSG_N, "HelloAck has MsgN " + ack.getMsgN() + "/" + ack.getYourMsgN() + ", not 2/1");
        }
        checkCluster(self, ack.getClusterId());
        if (!ack.getId().equals(ByteString.copyFrom(peer.nodeId().toBytes()))) {
            throw error(PeerErrorCode.UNKNOWN_NODE, "HelloAck is not from " + peer.name());
        }
        if (!ack.getYourId().equals(ByteString.copyFrom(self.entry().nodeId().toBytes()))) {
            throw error(PeerErrorCode.NOT_FOR_ME, "HelloAck is addressed to another node");
        }
        if (!MessageDigest.isEqual(ack.getHelloHash().toByteArray(), sent.helloHash())) {
            throw error(PeerErrorCode.REPLAYED_ACK, "HelloAck answers another Hello (replayed or stale)");
        }
        if (!Signatures.verify(peer.signingKey(), SigningPurpose.ACK, self.clusterId(), ackBytes,
                frame.getDigSig().toByteArray())) {
            throw error(PeerErrorCode.BAD_SIGNATURE, "HelloAck signature does not verify with " + peer.name() + "'s key");
        }
        byte[] salt = fixedLength(ack.getSalt(), SALT_BYTES, "HelloAck salt");
        return new AcceptedAck(ackBytes, salt, decryptShare(self.keys().comms().getPrivate(), ack.getKeyShare()));
    }

    /**
     * HKDF-SHA3-256: extract over both shares salted by both salts, then one 32-byte key per
     * direction, each bound to the transcript (the hashes of both signed messages).
     */
    static SessionSecrets derive(byte[] helloBytes, byte[] ackBytes, byte[] helloSalt, byte[] ackSalt,
                                 byte[] dialerShare, byte[] acceptorShare) {
        Hkdf hkdf = Hkdf.sha3();
        byte[] prk = hkdf.extract(concat(helloSalt, ackSalt), concat(dialerShare, acceptorShare));
        byte[] transcript = Hashes.sha3(Hashes.sha3(helloBytes), Hashes.sha3(ackBytes));
        return new SessionSecrets(
                hkdf.expand(prk, concat(DIALER_TO_ACCEPTOR, transcript), RecordCipher.KEY_BYTES),
                hkdf.expand(prk, concat(ACCEPTOR_TO_DIALER, transcript), RecordCipher.KEY_BYTES),
                transcript);
    }

    private static ServerEntry rosterEntry(LocalNode self, ByteString id, ByteString sigKey, ByteString commsKey)
            throws PeerProtocolException {
        NodeId nodeId = nodeId(id);
        Optional<ServerEntry> entry = self.roster().serverById(nodeId);
        if (entry.isEmpty()) {
            throw error(PeerErrorCode.UNKNOWN_NODE, "node " + nodeId + " is not in the roster");
        }
        PublicKey signing = publicKey(sigKey, "SigPubKey");
        if (!NodeId.of(signing).equals(nodeId) || !entry.get().signingKey().equals(signing)) {
            throw error(PeerErrorCode.KEY_MISMATCH, "SigPubKey is not the key behind node " + nodeId);
        }
        if (!entry.get().commsKey().equals(publicKey(commsKey, "CommsPubKey"))) {
            throw error(PeerErrorCode.KEY_MISMATCH, "CommsPubKey is not the one the roster lists for " + entry.get().name());
        }
        return entry.get();
    }

    private static NodeId nodeId(ByteString id) throws PeerProtocolException {
        if (id.size() != Hashes.SHA3_256_BYTES) {
            throw error(PeerErrorCode.MALFORMED, "a node ID has 32 bytes, not " + id.size());
        }
        return NodeId.fromBytes(id.toByteArray());
    }

    private static PublicKey publicKey(ByteString der, String field) throws PeerProtocolException {
        try {
            return Keys.publicFromDer(der.toByteArray());
        } catch (IdentityException e) {
            throw error(PeerErrorCode.KEY_MISMATCH, field + ": " + e.getMessage());
        }
    }

    private static void checkCluster(LocalNode self, ByteString clusterId) throws PeerProtocolException {
        if (!MessageDigest.isEqual(clusterId.toByteArray(), self.clusterId())) {
            throw error(PeerErrorCode.WRONG_CLUSTER, "cluster ID differs from this node's");
        }
    }

    private static byte[] encryptShare(PublicKey commsKey, byte[] share, SecureRandom random) {
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.ENCRYPT_MODE, commsKey, OAEP, random);
            return rsa.doFinal(share);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP encryption failed", e);
        }
    }

    private static byte[] decryptShare(PrivateKey commsKey, ByteString box) throws PeerProtocolException {
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.DECRYPT_MODE, commsKey, OAEP);
            byte[] share = rsa.doFinal(box.toByteArray());
            if (share.length != SHARE_BYTES) {
                throw error(PeerErrorCode.BAD_KEY_SHARE, "key share has " + share.length + " bytes, not " + SHARE_BYTES);
            }
            return share;
        } catch (GeneralSecurityException e) {
            throw error(PeerErrorCode.BAD_KEY_SHARE, "key share does not decrypt with this node's comms key");
        }
    }

    private static byte[] fixedLength(ByteString value, int length, String what) throws PeerProtocolException {
        if (value.size() != length) {
            throw error(PeerErrorCode.MALFORMED, what + " has " + value.size() + " bytes, not " + length);
        }
        return value.toByteArray();
    }

    private interface Parser<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(Parser<T> parser, String what) throws PeerProtocolException {
        try {
            return parser.parse();
        } catch (InvalidProtocolBufferException e) {
            throw error(PeerErrorCode.MALFORMED, what + " does not parse: " + e.getMessage());
        }
    }

    private static PeerProtocolException error(PeerErrorCode code, String description) {
        return new PeerProtocolException(code, description);
    }

    private static byte[] randomBytes(SecureRandom random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] label(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
