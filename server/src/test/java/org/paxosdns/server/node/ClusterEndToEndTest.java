package org.paxosdns.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.Hashes;
import org.paxosdns.identity.Signatures;
import org.paxosdns.identity.SigningPurpose;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.proto.CommanderResponse;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.SignedUpload;
import org.paxosdns.proto.Upload;
import org.paxosdns.proto.UploadReply;
import org.paxosdns.proto.ZoneRefusal;
import org.paxosdns.server.client.PublishOutcome;
import org.paxosdns.server.commander.CommanderClient;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.command.CommandBuilder;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Issue 4 end to end: three node processes on 127.0.0.1, zones published through the
 * commander port, answers read over real UDP and TCP from every node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ClusterEndToEndTest {
    private static final int NODES = 3;

    private ClusterFixture fx;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = ClusterFixture.start(dir, NODES, List.of(
                new CommanderEntry("limited", TestKeys.commander(1).getPublic(), List.of("limited.test."))));
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (fx != null) {
            fx.close();
        }
    }

    private void awaitAll(String what, java.util.function.IntPredicate perNode) throws InterruptedException {
        fx.awaitTrue(what, () -> java.util.stream.IntStream.range(0, NODES).allMatch(perNode));
    }

    private long converged() throws InterruptedException {
        awaitAll("stateNdx equal everywhere", i -> fx.stateNdx(i) == fx.stateNdx(0) && fx.stateNdx(0) >= 0);
        return fx.stateNdx(0);
    }

    @Test
    @Order(1)
    void publishNewVersionAndDeleteReachEveryNodeOverUdpAndTcp() throws Exception {
        long before = converged();
        PublishOutcome first = fx.publish("a.test.", ClusterFixture.zone("a.test.", 1, "192.0.2.10"));
        assertInstanceOf(PublishOutcome.Done.class, first, first.toString());
        assertEquals(before + 1, ((PublishOutcome.Done) first).reply().getStateNdx());
        awaitAll("v1 served over UDP and TCP", i -> fx.answer(i, "www.a.test.", Type.A, false).equals(Optional.of("192.0.2.10"))
                && fx.answer(i, "www.a.test.", Type.A, true).equals(Optional.of("192.0.2.10")));

        PublishOutcome second = fx.publish("a.test.", ClusterFixture.zone("a.test.", 2, "192.0.2.20"));
        assertEquals(before + 2, ((PublishOutcome.Done) second).reply().getStateNdx(), "one publish, one stateNdx");
        awaitAll("v2 served everywhere", i -> fx.answer(i, "www.a.test.", Type.A, false).equals(Optional.of("192.0.2.20")));
        assertEquals(before + 2, converged());

        PublishOutcome deleted = fx.delete("a.test.");
        assertEquals(before + 3, ((PublishOutcome.Done) deleted).reply().getStateNdx());
        awaitAll("deleted zone refused everywhere", i -> fx.rcode(i, "www.a.test.", false) == Rcode.REFUSED
                && fx.rcode(i, "www.a.test.", true) == Rcode.REFUSED);
    }

    // ---- refusals: each with its own reason, nothing changed ----

    private UploadReply upload(byte[] signedUpload) throws IOException {
        UploadReply reply = null;
        for (int node = 0; node < NODES; node++) { // a command is admitted where it arrives: every node gets the file
            reply = upload(node, signedUpload);
        }
        return reply;
    }

    private UploadReply upload(int node, byte[] signedUpload) throws IOException {
        try (CommanderClient client = CommanderClient.connect(fx.commanderAddress(node), 2_000)) {
            CommanderResponse r = client.call(CommanderRequest.newBuilder().setSignedUpload(ByteString.copyFrom(signedUpload)), 10_000);
            assertFalse(r.hasError(), () -> r.getError().getMessage());
            return UploadReply.parseFrom(r.getUploadReply());
        }
    }

    private CommandReply command(int node, byte[] signedCommand) throws IOException {
        try (CommanderClient client = CommanderClient.connect(fx.commanderAddress(node), 2_000)) {
            CommanderResponse r = client.call(CommanderRequest.newBuilder().setSignedCommand(ByteString.copyFrom(signedCommand)), 15_000);
            assertFalse(r.hasError(), () -> r.getError().getMessage());
            return CommandReply.parseFrom(r.getCommandReply());
        }
    }

    private CommandBuilder own() {
        return fx.commander().builder();
    }

    /** Uploads a zone file (unchecked) with the cluster's commander, and returns a command putting it. */
    private CommandBuilder uploaded(String fqdn, String text, long serial) throws IOException {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(UploadReply.Status.STORED, upload(own().signUpload(fqdn, content)).getStatus());
        return own().putZone(fqdn, ContentHash.of(content), serial);
    }

    private void assertRefused(CommandReply reply, ZoneRefusal refusal, String messagePart, long stateNdx) throws Exception {
        assertEquals(CommandReply.Status.REFUSED, reply.getStatus(), reply.toString());
        assertEquals(refusal, reply.getRefusal(), reply.toString());
        assertTrue(reply.getMessage().contains(messagePart), "message '" + reply.getMessage() + "' lacks '" + messagePart + "'");
        assertEquals(stateNdx, converged(), "a refused command changes nothing");
    }

    @Test
    @Order(2)
    void badCommandsAreRefusedEachWithItsOwnReason() throws Exception {
        long n = converged();
        String good = ClusterFixture.zone("r.test.", 5, "192.0.2.5");
        byte[] content = good.getBytes(StandardCharsets.UTF_8);
        upload(own().signUpload("r.test.", content));
        byte[] clusterId = fx.roster().clusterId();

        byte[] forged = new CommandBuilder(clusterId, "commander", TestKeys.commander(2).getPrivate())
                .putZone("r.test.", ContentHash.of(content), 5).sign(fx.seq());
        assertRefused(command(0, forged), ZoneRefusal.ZONE_REFUSAL_BAD_SIGNATURE, "signature", n);

        byte[] unknown = new CommandBuilder(clusterId, "stranger", TestKeys.commander(2).getPrivate())
                .putZone("r.test.", ContentHash.of(content), 5).sign(1);
        assertRefused(command(1, unknown), ZoneRefusal.ZONE_REFUSAL_UNKNOWN_COMMANDER, "stranger", n);

        byte[] otherCluster = new CommandBuilder(Hashes.sha3(new byte[] {1}), "commander",
                java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate())
                .putZone("r.test.", ContentHash.of(content), 5).sign(fx.seq());
        assertRefused(command(2, otherCluster), ZoneRefusal.ZONE_REFUSAL_WRONG_CLUSTER, "cluster", n);

        byte[] outside = new CommandBuilder(clusterId, "limited", TestKeys.commander(1).getPrivate())
                .putZone("r.test.", ContentHash.of(content), 5).sign(1);
        assertRefused(command(0, outside), ZoneRefusal.ZONE_REFUSAL_NO_RIGHTS, "r.test.", n);

        byte[] notUploaded = own().putZone("r.test.", ContentHash.of("other bytes".getBytes()), 5).sign(fx.seq());
        assertRefused(command(0, notUploaded), ZoneRefusal.ZONE_REFUSAL_BLOB_MISSING, "upload", n);

        byte[] wrongSerial = own().putZone("r.test.", ContentHash.of(content), 6).sign(fx.seq());
        assertRefused(command(0, wrongSerial), ZoneRefusal.ZONE_REFUSAL_SERIAL_MISMATCH, "serial", n);

        String broken = good + "www IN A not-an-address\n";
        assertRefused(command(0, uploaded("r.test.", broken, 5).sign(fx.seq())), ZoneRefusal.ZONE_REFUSAL_ZONE_INVALID, "line 7", n);

        String include = good + "$INCLUDE /etc/passwd\n";
        assertRefused(command(0, uploaded("r.test.", include, 5).sign(fx.seq())), ZoneRefusal.ZONE_REFUSAL_ZONE_INVALID, "$INCLUDE", n);

        String outOfZone = good + "www.elsewhere.test. IN A 192.0.2.7\n";
        assertRefused(command(0, uploaded("r.test.", outOfZone, 5).sign(fx.seq())), ZoneRefusal.ZONE_REFUSAL_ZONE_INVALID,
                "elsewhere", n);

        StringBuilder deep = new StringBuilder(good); // 1,200 owners, 63 empty non-terminals each
        for (int i = 0; i < 1_200; i++) {
            deep.append('x').append(".a".repeat(62)).append(".t").append(i).append(" IN A 192.0.2.7\n");
        }
        assertRefused(command(0, uploaded("r.test.", deep.toString(), 5).sign(fx.seq())),
                ZoneRefusal.ZONE_REFUSAL_ZONE_INVALID, "empty non-terminals", n);
    }

    @Test
    @Order(3)
    void hashMismatchAndForeignUploadsAreRefused() throws Exception {
        byte[] clusterId = fx.roster().clusterId();
        byte[] content = ClusterFixture.zone("h.test.", 1, "192.0.2.1").getBytes(StandardCharsets.UTF_8);
        byte[] upload = Upload.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setClusterId(ByteString.copyFrom(clusterId)).setCommanderId("commander").setFqdn("h.test.")
                .setContentHash(ByteString.copyFrom(ContentHash.of("something else".getBytes()).toBytes()))
                .setContent(ByteString.copyFrom(content)).build().toByteArray();
        var keys = org.paxosdns.identity.CommanderKey.load(fx.cluster.commanderKey(), fx.roster()).signing();
        byte[] signed = SignedUpload.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setUpload(ByteString.copyFrom(upload))
                .setSig(ByteString.copyFrom(Signatures.sign(keys.getPrivate(), SigningPurpose.UPLOAD, clusterId, upload)))
                .build().toByteArray();
        UploadReply reply = upload(signed);
        assertEquals(UploadReply.Status.REFUSED, reply.getStatus());
        assertEquals(ZoneRefusal.ZONE_REFUSAL_HASH_MISMATCH, reply.getRefusal(), reply.toString());

        UploadReply outside = upload(new CommandBuilder(clusterId, "limited", TestKeys.commander(1).getPrivate())
                .signUpload("h.test.", content));
        assertEquals(ZoneRefusal.ZONE_REFUSAL_NO_RIGHTS, outside.getRefusal(), outside.toString());
    }

    @Test
    @Order(4)
    void staleSerialAndReusedSeqAreRefused() throws Exception {
        assertInstanceOf(PublishOutcome.Done.class, fx.publish("s.test.", ClusterFixture.zone("s.test.", 10, "192.0.2.1")));
        long n = converged();
        assertRefused(command(1, uploaded("s.test.", ClusterFixture.zone("s.test.", 9, "192.0.2.2"), 9).sign(fx.seq())),
                ZoneRefusal.ZONE_REFUSAL_STALE_SERIAL, "serial", n);

        long seq = fx.seq();
        CommandReply first = command(0, uploaded("s.test.", ClusterFixture.zone("s.test.", 11, "192.0.2.3"), 11).sign(seq));
        assertEquals(CommandReply.Status.APPLIED, first.getStatus(), first.toString());
        CommandReply reused = command(2, uploaded("s.test.", ClusterFixture.zone("s.test.", 12, "192.0.2.4"), 12).sign(seq));
        assertEquals(CommandReply.Status.SEQ_CONFLICT, reused.getStatus(), reused.toString());
        assertEquals(n + 1, converged());
    }

    @Test
    @Order(5)
    void everyCommandIsAppliedExactlyOnce() throws Exception {
        long n = converged();
        byte[] twice = uploaded("e.test.", ClusterFixture.zone("e.test.", 1, "192.0.2.1"), 1).sign(fx.seq());
        CommandReply first = command(0, twice);
        assertEquals(CommandReply.Status.APPLIED, first.getStatus(), first.toString());
        CommandReply again = command(0, twice);
        assertTrue(again.getDuplicate(), "the same command twice gets the cached reply");
        assertEquals(first.getStateNdx(), again.getStateNdx());
        CommandReply resent = command(2, twice); // as after a lost reply, through another server
        assertTrue(resent.getDuplicate());
        assertEquals(n + 1, converged());

        long later = fx.seq() + 1;
        long earlier = later - 1;
        fx.seq();
        byte[] second = uploaded("e2.test.", ClusterFixture.zone("e2.test.", 1, "192.0.2.2"), 1).sign(later);
        byte[] firstOfTwo = uploaded("e3.test.", ClusterFixture.zone("e3.test.", 1, "192.0.2.3"), 1).sign(earlier);
        assertEquals(CommandReply.Status.APPLIED, command(1, second).getStatus());
        assertEquals(CommandReply.Status.APPLIED, command(2, firstOfTwo).getStatus(), "a late lower seq is still applied");
        assertTrue(command(0, firstOfTwo).getDuplicate());
        assertEquals(n + 3, converged());
    }

    // ---- metrics ----

    @Test
    @Order(6)
    void metricsCountDnsAnswersByRcode() throws Exception {
        String family = "paxosdns_dns_queries_total";
        long refusedBefore = metric(0, family + "{rcode=\"REFUSED\"}");
        int asked = 3;
        for (int i = 0; i < asked; i++) {
            assertEquals(Rcode.REFUSED, fx.rcode(0, "www.not-served.invalid.", false));
        }
        assertTrue(metric(0, family + "{rcode=\"REFUSED\"}") >= refusedBefore + asked, "REFUSED answers counted");
        assertTrue(metric(0, family + "{rcode=\"NOERROR\"}") >= 0, "NOERROR is reported");
        assertTrue(metric(0, "paxosdns_dns_answers_total{transport=\"udp\"}") >= asked, "UDP answers counted");
    }

    @Test
    @Order(6)
    void metricsReportBothApplicationsReplicas() throws Exception {
        for (int node = 0; node < 3; node++) {
            for (String app : new String[] {"app=\"1\"", "app=\"2\""}) {
                assertTrue(metric(node, "paxosdns_fsyncs_total{" + app + "}") >= 1, "node" + node + " " + app + " forced its log");
                metric(node, "paxosdns_commits_total{" + app + "}");
                metric(node, "paxosdns_apply_lag_slots{" + app + "}");
            }
        }
        long kvLeaders = 0;
        for (int node = 0; node < 3; node++) {
            kvLeaders += metric(node, "paxosdns_leader{app=\"2\"}");
        }
        assertTrue(kvLeaders <= 1, kvLeaders + " nodes call themselves the key-value leader");
    }

    /** One series' value from the node's /metrics; fails when the series is missing. */
    private long metric(int node, String series) {
        String text = fx.metrics(node).orElseThrow(() -> new AssertionError("no /metrics from node " + node));
        return text.lines().filter(l -> l.startsWith(series + " ")).map(l -> Long.parseLong(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " missing from /metrics:\n" + text));
    }
}
