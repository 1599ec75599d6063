package org.paxosdns.zonestore.state;

/**
 * Told, on the apply thread and after the new state is published, what each command did, so
 * the server can swap zone versions into the front end and answer the waiting commander.
 * Must be quick and must not call back into the state machine's mutators.
 */
public interface ZoneStateListener {
    /** One chosen command was applied (executed, refused or answered from the cache). */
    void applied(ApplyResult result);

    /** The whole state was replaced from a snapshot: reload every zone. */
    void restored(ZoneState state);
}
