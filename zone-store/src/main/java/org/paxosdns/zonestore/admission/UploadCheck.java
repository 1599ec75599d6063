package org.paxosdns.zonestore.admission;

import org.paxosdns.proto.UploadReply;
import org.paxosdns.zonestore.blob.ContentHash;

/** The receiving server's ruling on an upload. */
public sealed interface UploadCheck {
    /** Store {@code content} (it hashes to {@code hash}), then reply {@code Replies.stored(hash)}. */
    record Accepted(String commanderId, String fqdn, ContentHash hash, byte[] content) implements UploadCheck {}

    /** Reply with {@code reply}; store nothing. */
    record Refused(UploadReply reply) implements UploadCheck {}
}
