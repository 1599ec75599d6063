package org.paxosdns.zonestore.command;

import org.paxosdns.zonestore.zone.ZoneLimits;

/** Bounds on what a commander may send, enforced where commands and uploads are decoded. */
public final class CommandLimits {
    /** Largest serialized SignedCommand: 64 KiB (256 ops of about 250 bytes). */
    public static final int SIGNED_COMMAND_BYTES_MAX = 64 * 1024;
    /** Most ops in one command. */
    public static final int OPS_PER_COMMAND_MAX = 256;
    /** Applied seqs remembered per commander for exactly-once (the highest ones). */
    public static final int DEDUP_WINDOW_SEQS_MAX = 1024;
    /** Longest salt. */
    public static final int SALT_BYTES_MAX = 32;
    /** Largest serialized SignedUpload: the largest zone file plus 64 KiB for the envelope. */
    public static final long SIGNED_UPLOAD_BYTES_MAX = ZoneLimits.ZONE_BYTES_MAX + 64 * 1024;

    private CommandLimits() {}
}
