package org.paxosdns.identity;

import java.nio.charset.StandardCharsets;

/**
 * What a signature is for. The label is signed with the bytes, so a signature made for one
 * message type can never be presented as another's.
 */
public enum SigningPurpose {
    HELLO("hello"),
    ACK("ack"),
    COMMAND("command"),
    UPLOAD("upload"),
    REPLY("reply"),
    /** A command of the key-value register application (appNdx 2). */
    KV("kv");

    private final byte[] label;

    SigningPurpose(String type) {
        this.label = ("paxosdns/v1/" + type).getBytes(StandardCharsets.US_ASCII);
    }

    /** The purpose label, {@code paxosdns/v1/<type>}, as signed. */
    public byte[] label() {
        return label.clone();
    }

    byte[] labelUnsafe() {
        return label;
    }
}
