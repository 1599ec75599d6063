package org.paxosdns.comms;

/**
 * Receives the AppMsgs of one application index ({@code appNdx}). Called on a Netty IO thread,
 * in the order the peer sent them; it must not block. The array belongs to the handler.
 */
@FunctionalInterface
public interface AppHandler {
    void onMessage(int fromIndex, byte[] contents);
}
