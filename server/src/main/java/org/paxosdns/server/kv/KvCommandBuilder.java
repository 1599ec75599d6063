package org.paxosdns.server.kv;

import com.google.protobuf.ByteString;
import java.security.PrivateKey;
import java.security.SecureRandom;
import org.paxosdns.identity.Signatures;
import org.paxosdns.identity.SigningPurpose;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.KvCas;
import org.paxosdns.proto.KvCommand;
import org.paxosdns.proto.KvGet;
import org.paxosdns.proto.KvPut;
import org.paxosdns.proto.SignedKvCommand;

/** The commander's side: builds and signs key-value commands; the caller picks seqs it never reuses. */
public final class KvCommandBuilder {
    private static final int SALT_BYTES = 16;

    private final byte[] clusterId;
    private final String commanderId;
    private final PrivateKey key;
    private final SecureRandom random = new SecureRandom();

    public KvCommandBuilder(byte[] clusterId, String commanderId, PrivateKey key) {
        this.clusterId = clusterId.clone();
        this.commanderId = commanderId;
        this.key = key;
    }

    public byte[] put(long seq, String k, String value) {
        return sign(base(seq).setPut(KvPut.newBuilder().setKey(k).setValue(value)));
    }

    public byte[] get(long seq, String k) {
        return sign(base(seq).setGet(KvGet.newBuilder().setKey(k)));
    }

    /** Compare-and-set: {@code expected} null means "only when the key has no value". */
    public byte[] cas(long seq, String k, String expected, String value) {
        KvCas.Builder cas = KvCas.newBuilder().setKey(k).setValue(value);
        if (expected == null) {
            cas.setExpectAbsent(true);
        } else {
            cas.setExpected(expected);
        }
        return sign(base(seq).setCas(cas));
    }

    private KvCommand.Builder base(long seq) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return KvCommand.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1).setClusterId(ByteString.copyFrom(clusterId))
                .setAppNdx(KvCodec.KV_APP_NDX).setCommanderId(commanderId).setSeq(seq).setSalt(ByteString.copyFrom(salt));
    }

    private byte[] sign(KvCommand.Builder command) {
        byte[] bytes = command.build().toByteArray();
        return SignedKvCommand.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1).setCommand(ByteString.copyFrom(bytes))
                .setSig(ByteString.copyFrom(Signatures.sign(key, SigningPurpose.KV, clusterId, bytes))).build().toByteArray();
    }
}
