package org.paxosdns.comms;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.paxosdns.proto.AliasingInput;
import org.paxosdns.proto.Ack;
import org.paxosdns.proto.Bye;
import org.paxosdns.proto.Finished;
import org.paxosdns.proto.KeepAlive;
import org.paxosdns.proto.PeerError;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.PeerFrame;
import org.paxosdns.proto.Sealed;
import org.paxosdns.proto.SessionMessage;
import org.paxosdns.proto.SessionRecord;
import org.paxosdns.proto.SignedHello;
import org.paxosdns.proto.SignedHelloAck;

/**
 * One TCP connection to a peer, from the first byte to the close: the handshake (as dialer or
 * acceptor), key confirmation, then sealed records in both directions. Every method runs on
 * the channel's event loop except {@link #scheduleDrain} and {@link #drainIfOnLoop} (which acts
 * only there). Any protocol violation answers with
 * an Error and closes this connection only.
 */
final class PeerConnection extends ChannelInboundHandlerAdapter {
    private enum Phase { AWAIT_HELLO, AWAIT_ACK, AWAIT_FINISHED, ESTABLISHED, CLOSED }

    private final Mesh mesh;
    private final MeshConfig config;
    private final boolean dialer;
    private final FrameDecoder decoder;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ArrayDeque<SessionMessage> control = new ArrayDeque<>();
    /** Handlers that got messages during the current socket read, told when it is over. */
    private final ArrayList<AppHandler> delivered = new ArrayList<>();
    private Link link;
    private Phase phase;
    private ChannelHandlerContext ctx;
    private Handshakes.DialerHello sentHello;
    private byte[] transcript;
    private RecordCipher sealer;
    private RecordCipher opener;
    private long lastHeardNanos;
    private long unwritableSinceNanos = -1;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> ticker;
    private ByteBuffer outgoingPlaintext;
    private long ratchetsSeen;
    private long nextMsgN = 1;
    private long byeMsgN = -1;
    private Promise<Void> byeAnswered;
    private boolean holdsPendingSlot;
    private boolean activated;
    private boolean left;

    PeerConnection(Mesh mesh, FrameDecoder decoder, Link dialedLink) {
        this.mesh = mesh;
        this.config = mesh.config();
        this.decoder = decoder;
        this.dialer = dialedLink != null;
        this.link = dialedLink;
    }

    boolean isDialer() {
        return dialer;
    }

    Link link() {
        return link;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        this.ctx = context;
        this.activated = true;
        deadline = ctx.executor().schedule(
                () -> fail(PeerErrorCode.HANDSHAKE_TIMEOUT, "no confirmed session within " + config.handshakeMsMax() + " ms"),
                config.handshakeMsMax(), TimeUnit.MILLISECONDS);
        if (dialer) {
            phase = Phase.AWAIT_ACK;
            sentHello = Handshakes.hello(mesh.local(), link.peer, mesh.secureRandom(), System.currentTimeMillis());
            ctx.writeAndFlush(WireFormat.encode(ctx.alloc(), WireFormat.frame().setHello(sentHello.frame()).build()));
            return;
        }
        phase = Phase.AWAIT_HELLO;
        if (mesh.isClosing()) {
            fail(PeerErrorCode.SHUTTING_DOWN, "this node is shutting down");
            return;
        }
        // Sources that are not IP sockets (in-process channels) share one bucket.
        InetAddress source = ctx.channel().remoteAddress() instanceof InetSocketAddress ip ? ip.getAddress() : null;
        holdsPendingSlot = mesh.admitInbound(source);
        if (!holdsPendingSlot) {
            fail(PeerErrorCode.RATE_LIMITED, "too many handshakes from " + ctx.channel().remoteAddress());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ByteBuf body = (ByteBuf) msg;
        try {
            if (phase != Phase.CLOSED) {
                handle(WireFormat.parse(body)); // the frame aliases body: handled before the release below
            }
        } catch (PeerProtocolException e) {
            fail(e.code(), e.getMessage());
        } finally {
            body.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (!delivered.isEmpty()) {
            mesh.readComplete(delivered);
            delivered.clear();
        }
        context.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        phase = Phase.CLOSED;
        leave();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            unwritableSinceNanos = -1;
            drain();
        } else {
            unwritableSinceNanos = System.nanoTime();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        Throwable problem = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (problem instanceof PeerProtocolException e) {
            fail(e.code(), e.getMessage());
        } else if (problem instanceof IOException) {
            mesh.log(System.Logger.Level.DEBUG, "connection " + describe() + " failed: " + problem.getMessage());
            context.close();
        } else {
            mesh.log(System.Logger.Level.WARNING, "connection " + describe() + ": unexpected " + problem);
            fail(PeerErrorCode.PEER_ERROR_CODE_UNSPECIFIED, "internal error");
        }
    }

    private void handle(PeerFrame frame) throws PeerProtocolException {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (frame.getKindCase() == PeerFrame.KindCase.ERROR) {
            peerError(frame.getError());
            return;
        }
        switch (phase) {
            case AWAIT_HELLO -> onHello(expect(frame, PeerFrame.KindCase.HELLO).getHello());
            case AWAIT_ACK -> onAck(expect(frame, PeerFrame.KindCase.HELLO_ACK).getHelloAck());
            default -> onSealed(expect(frame, PeerFrame.KindCase.SEALED).getSealed());
        }
    }

    private static PeerFrame expect(PeerFrame frame, PeerFrame.KindCase kind) throws PeerProtocolException {
        if (frame.getKindCase() != kind) {
            throw new PeerProtocolException(PeerErrorCode.UNEXPECTED_MESSAGE,
                    "expected " + kind + ", got " + frame.getKindCase());
        }
        return frame;
    }

    private void onHello(SignedHello signed) throws PeerProtocolException {
        long now = System.currentTimeMillis();
        Handshakes.AcceptedHello hello = Handshakes.checkHello(mesh.local(), signed, now, config.helloSkewMsMax());
        switch (mesh.replayGuard().admit(hello.helloHash(), hello.timeMs(), now)) {
            case REPLAYED -> throw new PeerProtocolException(PeerErrorCode.REPLAYED_HELLO, "this Hello was seen before");
            case FULL -> throw new PeerProtocolException(PeerErrorCode.RATE_LIMITED, "too many recent Hellos");
            case FRESH -> { }
        }
        link = mesh.link(hello.from().index());
        Handshakes.AcceptorAck ack = Handshakes.ack(mesh.local(), hello, mesh.secureRandom());
        ctx.write(WireFormat.encode(ctx.alloc(), WireFormat.frame().setHelloAck(ack.frame()).build()));
        Handshakes.SessionSecrets secrets = Handshakes.derive(hello.helloBytes(), ack.ackBytes(),
                hello.salt(), ack.salt(), hello.share(), ack.share());
        startSession(secrets.acceptorToDialer(), secrets.dialerToAcceptor(), secrets.transcriptHash());
    }

    private void onAck(SignedHelloAck signed) throws PeerProtocolException {
        Handshakes.AcceptedAck ack = Handshakes.checkAck(mesh.local(), link.peer, sentHello, signed);
        Handshakes.SessionSecrets secrets = Handshakes.derive(sentHello.helloBytes(), ack.ackBytes(),
                sentHello.salt(), ack.salt(), sentHello.share(), ack.share());
        startSession(secrets.dialerToAcceptor(), secrets.acceptorToDialer(), secrets.transcriptHash());
    }

    private void startSession(byte[] sendKey, byte[] receiveKey, byte[] transcriptHash) {
        sealer = RecordCipher.sealer(sendKey, config.recordsPerKeyMax(), config.bytesPerKeyMax());
        opener = RecordCipher.opener(receiveKey, config.recordsPerKeyMax(), config.bytesPerKeyMax());
        transcript = transcriptHash;
        phase = Phase.AWAIT_FINISHED;
        Finished finished = Finished.newBuilder().setTranscriptHash(com.google.protobuf.ByteString.copyFrom(transcript)).build();
        writeRecord(SessionRecord.newBuilder().addMessages(SessionMessage.newBuilder().setFinished(finished)).build());
        ctx.flush();
    }

    private void onSealed(Sealed sealed) throws PeerProtocolException {
        ByteBuffer plaintext = opener.open(sealed);
        lastHeardNanos = System.nanoTime();
        noteRatchets();
        SessionRecord record;
        try {
            // Aliases the opener's buffer: every message is handled (contents copied out) before the next record.
            record = SessionRecord.parseFrom(AliasingInput.of(plaintext));
        } catch (IOException e) {
            throw new PeerProtocolException(PeerErrorCode.MALFORMED, "record does not parse: " + e.getMessage());
        }
        if (record.getMessagesCount() == 0) {
            throw new PeerProtocolException(PeerErrorCode.MALFORMED, "empty record");
        }
        for (SessionMessage message : record.getMessagesList()) {
            if (phase == Phase.CLOSED) {
                return;
            }
            onMessage(message);
        }
    }

    private void onMessage(SessionMessage message) throws PeerProtocolException {
        if (phase == Phase.AWAIT_FINISHED) {
            onFinished(message);
            return;
        }
        switch (message.getKindCase()) {
            case KEEP_ALIVE -> sendControl(SessionMessage.newBuilder()
                    .setAck(Ack.newBuilder().setYourMsgN(message.getKeepAlive().getMsgN())).build());
            case ACK -> onAckMessage(message.getAck());
            case BYE -> onBye(message.getBye());
            case APP_MSG -> {
                link.received.increment();
                AppHandler handler = mesh.deliver(link.index, message.getAppMsg());
                if (handler != null && !delivered.contains(handler)) {
                    delivered.add(handler);
                }
            }
            case ERROR -> peerError(message.getError());
            default -> throw new PeerProtocolException(PeerErrorCode.UNEXPECTED_MESSAGE,
                    message.getKindCase() + " in an established session");
        }
    }

    private void onFinished(SessionMessage message) throws PeerProtocolException {
        if (message.getKindCase() != SessionMessage.KindCase.FINISHED) {
            throw new PeerProtocolException(PeerErrorCode.UNEXPECTED_MESSAGE, message.getKindCase() + " before Finished");
        }
        if (!MessageDigest.isEqual(message.getFinished().getTranscriptHash().toByteArray(), transcript)) {
            throw new PeerProtocolException(PeerErrorCode.BAD_FINISHED, "Finished confirms another transcript");
        }
        phase = Phase.ESTABLISHED;
        deadline.cancel(false);
        releasePendingSlot();
        decoder.frameBytesMax(WireFormat.FRAME_BYTES_MAX);
        lastHeardNanos = System.nanoTime();
        ticker = ctx.executor().scheduleAtFixedRate(this::tick, config.keepAliveMs(), config.keepAliveMs(),
                TimeUnit.MILLISECONDS);
        mesh.established(link, this);
        drain();
    }

    private void onAckMessage(Ack ack) {
        if (byeAnswered != null && ack.getYourMsgN() == byeMsgN) {
            byeAnswered.trySuccess(null);
            phase = Phase.CLOSED;
            ctx.close();
            leave();
        }
    }

    private void onBye(Bye bye) {
        mesh.log(System.Logger.Level.INFO, "peer " + link.peer.name() + " said Bye");
        writeRecord(SessionRecord.newBuilder().addMessages(SessionMessage.newBuilder()
                .setAck(Ack.newBuilder().setYourMsgN(bye.getMsgN()))).build());
        phase = Phase.CLOSED;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        leave();
    }

    private void peerError(PeerError error) {
        mesh.peerSentError();
        mesh.log(System.Logger.Level.INFO, "connection " + describe() + " closed by the peer: "
                + error.getErrCode() + " " + error.getErrDesc());
        phase = Phase.CLOSED;
        ctx.close();
        leave();
    }

    private void tick() {
        if (phase != Phase.ESTABLISHED) {
            return;
        }
        long now = System.nanoTime();
        long silentMs = TimeUnit.NANOSECONDS.toMillis(now - lastHeardNanos);
        if (silentMs > config.downAfterMs()) {
            fail(PeerErrorCode.PEER_SILENT, "nothing heard for " + silentMs + " ms");
            return;
        }
        long stalledMs = unwritableSinceNanos < 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(now - unwritableSinceNanos);
        if (stalledMs > config.downAfterMs()) {
            // A peer that talks but does not read would otherwise pin this connection's buffers forever.
            fail(PeerErrorCode.PEER_STALLED, "peer has read nothing for " + stalledMs + " ms");
            return;
        }
        sendControl(SessionMessage.newBuilder().setKeepAlive(KeepAlive.newBuilder().setMsgN(nextMsgN++)).build());
    }

    /** Says Bye; the returned future completes when the peer's Ack arrives or the connection ends. */
    Future<Void> sayBye() {
        Promise<Void> done = ctx.executor().newPromise();
        ctx.executor().execute(() -> {
            if (phase != Phase.ESTABLISHED) {
                done.trySuccess(null);
                return;
            }
            byeAnswered = done;
            byeMsgN = nextMsgN++;
            ctx.channel().closeFuture().addListener(f -> done.trySuccess(null));
            sendControl(SessionMessage.newBuilder().setBye(Bye.newBuilder().setMsgN(byeMsgN)).build());
        });
        return done;
    }

    /** Closes this connection because a newer one to the same peer was confirmed. */
    void closeReplaced() {
        ctx.executor().execute(() -> {
            phase = Phase.CLOSED;
            ctx.close();
            leave();
        });
    }

    /** Asks the event loop to move queued messages into records; cheap when already asked. */
    void scheduleDrain() {
        if (ctx != null && drainScheduled.compareAndSet(false, true)) {
            ctx.executor().execute(this::drain);
        }
    }

    /** Drains now when called on this connection's event loop (see {@link Mesh#sendQueuedNow}). */
    void drainIfOnLoop() {
        if (ctx != null && ctx.executor().inEventLoop()) {
            drain();
        }
    }

    private void sendControl(SessionMessage message) {
        control.add(message);
        drain();
    }

    /** Packs control messages, then consensus, then bulk messages into records while the socket takes them. */
    private void drain() {
        drainScheduled.set(false);
        if (phase != Phase.ESTABLISHED) {
            return;
        }
        boolean wrote = false;
        while (ctx.channel().isWritable()) {
            SessionRecord.Builder record = SessionRecord.newBuilder();
            int size = pack(record);
            if (size == 0) {
                break;
            }
            writeRecord(record.build());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private int pack(SessionRecord.Builder record) {
        int size = 0;
        while (!control.isEmpty()) {
            SessionMessage message = control.poll();
            record.addMessages(message);
            size += message.getSerializedSize() + 4;
        }
        if (link.active() != this) {
            return size;
        }
        size = packFrom(link.high, record, size);
        return packFrom(link.bulk, record, size);
    }

    private int packFrom(Link.BoundedQueue queue, SessionRecord.Builder record, int size) {
        SessionMessage next;
        int packed = 0;
        while (size < WireFormat.RECORD_PACK_BYTES && (next = queue.peek()) != null) {
            int messageSize = next.getSerializedSize() + 8;
            if (size > 0 && size + messageSize > WireFormat.RECORD_PLAINTEXT_BYTES_MAX) {
                break;
            }
            record.addMessages(queue.poll());
            packed++;
            size += messageSize;
        }
        link.sent.add(packed);
        return size;
    }

    private void writeRecord(SessionRecord record) {
        int bytes = record.getSerializedSize();
        if (bytes > WireFormat.RECORD_PLAINTEXT_BYTES_MAX) {
            throw new IllegalStateException("a packed record of " + bytes + " bytes exceeds " + WireFormat.RECORD_PLAINTEXT_BYTES_MAX);
        }
        if (outgoingPlaintext == null || outgoingPlaintext.capacity() < bytes) { // grown to the largest record sent
            outgoingPlaintext = ByteBuffer.allocate(Math.max(RecordCipher.BUFFER_BYTES_INITIAL, bytes)); // heap: see RecordCipher.sealFrame
        }
        outgoingPlaintext.clear();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(outgoingPlaintext);
            record.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("a packed record exceeds " + WireFormat.RECORD_PLAINTEXT_BYTES_MAX + " bytes", e);
        }
        outgoingPlaintext.flip();
        ctx.write(sealer.sealFrame(ctx.alloc(), outgoingPlaintext));
        noteRatchets();
    }

    private void noteRatchets() {
        long ratchets = sealer.ratchets() + opener.ratchets();
        if (ratchets != ratchetsSeen) {
            mesh.keysRenewed(ratchets - ratchetsSeen);
            ratchetsSeen = ratchets;
        }
    }

    /** Answers a violation with an Error (sealed once this side has keys) and closes. */
    private void fail(PeerErrorCode code, String description) {
        if (phase == Phase.CLOSED || ctx == null) {
            return;
        }
        mesh.protocolFailure(phase == Phase.ESTABLISHED);
        mesh.log(System.Logger.Level.INFO, "connection " + describe() + " refused: " + code + " " + description);
        PeerError error = WireFormat.error(code, description);
        phase = Phase.CLOSED;
        if (sealer != null) {
            writeRecord(SessionRecord.newBuilder().addMessages(SessionMessage.newBuilder().setError(error)).build());
        } else {
            ctx.write(WireFormat.encode(ctx.alloc(), WireFormat.frame().setError(error).build()));
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        leave();
    }

    private void leave() {
        if (left) {
            return;
        }
        left = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
        releasePendingSlot();
        if (link != null) {
            mesh.detached(link, this);
        }
        if (activated) {
            mesh.connectionGone(this);
        }
    }

    private void releasePendingSlot() {
        if (holdsPendingSlot) {
            holdsPendingSlot = false;
            mesh.releaseInbound();
        }
    }

    private String describe() {
        String who = link != null ? link.peer.name() : "unidentified";
        return (dialer ? "to " : "from ") + who + " (" + (ctx == null ? "?" : ctx.channel().remoteAddress()) + ")";
    }
}
