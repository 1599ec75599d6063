package org.paxosdns.server.kv;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.Signatures;
import org.paxosdns.identity.SigningPurpose;
import org.paxosdns.proto.AliasingInput;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.KvCommand;
import org.paxosdns.proto.SignedKvCommand;

/**
 * Decodes and checks signed key-value commands. {@link #decode} is deterministic (the state
 * machine runs it again at apply); {@link #verify} checks the signature once, where a command
 * enters the cluster.
 */
public final class KvCodec {
    /** The application index of the key-value register. */
    public static final int KV_APP_NDX = 2;

    private KvCodec() {}

    /**
     * Decodes {@code signed} and checks format, cluster, application, seq, salt and sizes. A server
     * decodes every command twice (at admission and when applying it): parsing aliases the bytes
     * rather than copying each field, so {@code signed} must not change afterwards.
     */
    public static DecodedKvCommand decode(byte[] signed, byte[] clusterId) throws KvRefusedException {
        if (signed.length > KvLimits.SIGNED_COMMAND_BYTES_MAX) {
            throw new KvRefusedException("signed command of " + signed.length + " bytes (limit "
                    + KvLimits.SIGNED_COMMAND_BYTES_MAX + ")");
        }
        try {
            SignedKvCommand outer = SignedKvCommand.parser().parseFrom(AliasingInput.of(signed));
            if (outer.getFormatVersion() != FormatVersion.FORMAT_VERSION_1) {
                throw new KvRefusedException("signed command format version " + outer.getFormatVersionValue() + " is not supported");
            }
            byte[] bytes = outer.getCommand().toByteArray();
            KvCommand command = KvCommand.parser().parseFrom(AliasingInput.of(bytes));
            check(command, clusterId);
            return new DecodedKvCommand(command, bytes, outer.getSig().toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new KvRefusedException("malformed command: " + e.getMessage());
        }
    }

    /** Checks the signature against the roster's key of the command's commander. */
    public static void verify(DecodedKvCommand command, Roster roster) throws KvRefusedException {
        CommanderEntry commander = roster.commander(command.commanderId())
                .orElseThrow(() -> new KvRefusedException("unknown commander '" + command.commanderId() + "'"));
        if (!Signatures.verify(commander.signingKey(), SigningPurpose.KV, roster.clusterId(), command.commandBytes(),
                command.signature())) {
            throw new KvRefusedException("signature does not verify with the key of commander '" + commander.id() + "'");
        }
    }

    private static void check(KvCommand c, byte[] clusterId) throws KvRefusedException {
        if (c.getFormatVersion() != FormatVersion.FORMAT_VERSION_1) {
            throw new KvRefusedException("command format version " + c.getFormatVersionValue() + " is not supported");
        }
        if (!Arrays.equals(c.getClusterId().toByteArray(), clusterId)) {
            throw new KvRefusedException("command is for another cluster");
        }
        if (c.getAppNdx() != KV_APP_NDX) {
            throw new KvRefusedException("command is for application " + c.getAppNdx() + ", not " + KV_APP_NDX);
        }
        if (c.getSeq() == 0 || c.getCommanderId().isEmpty()) {
            throw new KvRefusedException("command needs a commander and a seq >= 1");
        }
        if (c.getSalt().size() > KvLimits.SALT_BYTES_MAX) {
            throw new KvRefusedException("salt of " + c.getSalt().size() + " bytes (limit " + KvLimits.SALT_BYTES_MAX + ")");
        }
        switch (c.getOpCase()) {
            case PUT -> checkSizes(c.getPut().getKey(), c.getPut().getValue());
            case GET -> checkSizes(c.getGet().getKey(), "");
            case CAS -> {
                checkSizes(c.getCas().getKey(), c.getCas().getValue());
                checkSizes(c.getCas().getKey(), c.getCas().getExpected());
            }
            case OP_NOT_SET -> throw new KvRefusedException("command has no operation");
        }
    }

    private static void checkSizes(String key, String value) throws KvRefusedException {
        int keyBytes = utf8Length(key);
        if (keyBytes == 0 || keyBytes > KvLimits.KEY_BYTES_MAX) {
            throw new KvRefusedException("key of " + keyBytes + " bytes (1.." + KvLimits.KEY_BYTES_MAX + ")");
        }
        int valueBytes = utf8Length(value);
        if (valueBytes > KvLimits.VALUE_BYTES_MAX) {
            throw new KvRefusedException("value of " + valueBytes + " bytes (limit " + KvLimits.VALUE_BYTES_MAX + ")");
        }
    }

    /** The length of {@code s} in UTF-8, without encoding it (a parsed string has no unpaired surrogate). */
    static int utf8Length(String s) {
        int bytes = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x800) {
                bytes += Character.isSurrogate(c) ? 1 : 2; // a pair: 4 bytes for 2 chars; else 3 for 1
            } else if (c >= 0x80) {
                bytes += 1;
            }
        }
        return bytes;
    }
}
