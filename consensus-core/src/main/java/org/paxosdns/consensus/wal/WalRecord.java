package org.paxosdns.consensus.wal;

/**
 * One record as the log stores it: the highest slot it concerns (0 for none; segments whose
 * records all concern slots at or below a snapshot can be deleted) and its opaque payload.
 */
public record WalRecord(long slot, byte[] payload) { }
