package org.paxosdns.zonestore.admission;

import org.paxosdns.proto.UploadReply;
import org.paxosdns.zonestore.blob.VerifiedBlob;

/** The receiving server's ruling on an upload. */
public sealed interface UploadCheck {
    /** Store {@code blob} (hashed once, here), then reply {@code Replies.stored(blob.hash())}. */
    record Accepted(String commanderId, String fqdn, VerifiedBlob blob) implements UploadCheck {}

    /** Reply with {@code reply}; store nothing. */
    record Refused(UploadReply reply) implements UploadCheck {}
}
