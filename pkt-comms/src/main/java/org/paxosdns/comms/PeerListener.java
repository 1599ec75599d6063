package org.paxosdns.comms;

/**
 * Told when a peer's connection is confirmed (up) and when it is lost (down); for one peer the
 * calls strictly alternate, starting with up. Called on a Netty IO thread; must not block.
 */
public interface PeerListener {
    void peerUp(int index);

    void peerDown(int index);
}
