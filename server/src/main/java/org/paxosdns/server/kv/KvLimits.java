package org.paxosdns.server.kv;

/** The key-value application's limits, enforced at admission and again at apply. */
public final class KvLimits {
    /** Longest key, in UTF-8 bytes. */
    public static final int KEY_BYTES_MAX = 256;
    /** Longest value, in UTF-8 bytes. */
    public static final int VALUE_BYTES_MAX = 4_096;
    /** Most keys the map holds; a put of a new key beyond it is refused. */
    public static final int KEYS_MAX = 100_000;
    /** Highest seqs remembered per commander for exactly-once (as the DNS application's window). */
    public static final int DEDUP_WINDOW_SEQS_MAX = 1_024;
    /** Longest salt, in bytes. */
    public static final int SALT_BYTES_MAX = 32;
    /** Largest signed command, in bytes. */
    public static final int SIGNED_COMMAND_BYTES_MAX = 16 * 1024;

    private KvLimits() {}
}
