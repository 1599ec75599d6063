package org.paxosdns.comms;

/**
 * Receives the AppMsgs of one application index ({@code appNdx}). Called on a Netty IO thread,
 * in the order the peer sent them. It must not wait on other threads or the network; bounded local
 * work is allowed (a replica carries out the engine's step there, one log force included, rather
 * than waking another thread for it). {@link #onReadComplete} follows every socket read that
 * delivered at least one message to this handler, on the same thread, so a handler can queue what
 * {@link #onMessage} gives it and act once per read. The array belongs to the handler.
 */
@FunctionalInterface
public interface AppHandler {
    void onMessage(int fromIndex, byte[] contents);

    /** The socket read that delivered the latest {@link #onMessage} calls is over. */
    default void onReadComplete() {
    }
}
