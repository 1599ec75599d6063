package org.paxosdns.consensus.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    private static final long bigSegment = 1L << 30;

    @TempDir
    Path tmp;

    private static List<String> texts(List<WalRecord> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(new String(r.payload(), StandardCharsets.UTF_8)));
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes batches of records; returns the file length after each commit. */
    private static List<Long> writeBatches(Path dir, int batches, int perBatch) throws IOException {
        List<Long> ends = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, bigSegment, List::of)) {
            for (int b = 0; b < batches; b++) {
                for (int r = 0; r < perBatch; r++) {
                    log.append(b + 1, bytes("batch" + b + "-record" + r));
                }
                log.commit();
                ends.add(Files.size(onlySegment(dir)));
            }
        }
        return ends;
    }

    private static List<String> expected(int batches, int perBatch) {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            for (int r = 0; r < perBatch; r++) {
                out.add("batch" + b + "-record" + r);
            }
        }
        return out;
    }

    private static Path onlySegment(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> segs = s.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
            assertEquals(1, segs.size());
            return segs.get(0);
        }
    }

    private static List<String> reopen(Path dir) throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(dir, bigSegment, List::of)) {
            return texts(log.recovered());
        }
    }

    private Path copyOf(Path dir, String name) throws IOException {
        Path copy = tmp.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        return copy;
    }

    @Test
    void committedRecordsSurviveReopenAndAppendingContinues() throws IOException {
        Path dir = tmp.resolve("wal");
        writeBatches(dir, 3, 4);
        assertEquals(expected(3, 4), reopen(dir));
        try (WriteAheadLog log = WriteAheadLog.open(dir, bigSegment, List::of)) {
            log.append(9, bytes("later"));
            log.commit();
            assertEquals(1, log.fsyncs());
        }
        List<String> all = expected(3, 4);
        all.add("later");
        assertEquals(all, reopen(dir));
    }

    @Test
    void groupCommitForcesOncePerBatch() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(tmp.resolve("wal"), bigSegment, List::of)) {
            long before = log.fsyncs();
            for (int i = 0; i < 1000; i++) {
                log.append(i, bytes("r" + i));
            }
            log.commit();
            log.commit();
            assertEquals(before + 1, log.fsyncs());
        }
    }

    @Test
    void tearingTheLastBatchAtEveryOffsetRecoversTheCommittedPrefix() throws IOException {
        Path dir = tmp.resolve("wal");
        List<Long> ends = writeBatches(dir, 3, 3);
        long lastStart = ends.get(1);
        long lastEnd = ends.get(2);
        for (long cut = lastStart; cut <= lastEnd; cut++) {
            Path copy = copyOf(dir, "torn" + cut);
            try (FileChannel ch = FileChannel.open(onlySegment(copy), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            List<String> want = cut == lastEnd ? expected(3, 3) : expected(2, 3);
            assertEquals(want, reopen(copy), "cut at " + cut);
            assertEquals(want, reopen(copy), "second reopen after cut at " + cut);
        }
    }

    @Test
    void flippingAByteInTheLastBatchNeverYieldsWrongData() throws IOException {
        Path dir = tmp.resolve("wal");
        List<Long> ends = writeBatches(dir, 3, 3);
        int prefixOnly = 0;
        int refused = 0;
        for (long at = ends.get(1); at < ends.get(2); at++) {
            Path copy = copyOf(dir, "flip" + at);
            byte[] b = Files.readAllBytes(onlySegment(copy));
            b[(int) at] ^= 0x5a;
            Files.write(onlySegment(copy), b);
            try {
                assertEquals(expected(2, 3), reopen(copy), "flip at " + at);
                prefixOnly++;
            } catch (CorruptLogException e) {
                assertEquals(at < ends.get(2) - 33 ? true : false, true, "refused a flip in the commit frame at " + at);
                assertTrue(e.getMessage().contains(onlySegment(copy).getFileName().toString()));
                refused++;
            }
        }
        assertTrue(prefixOnly > 0 && refused > 0, prefixOnly + " prefix, " + refused + " refused");
    }

    @Test
    void damageBeforeTheLastCommitIsRefusedWithFileAndOffset() throws IOException {
        Path dir = tmp.resolve("wal");
        List<Long> ends = writeBatches(dir, 3, 3);
        Path seg = onlySegment(dir);
        byte[] b = Files.readAllBytes(seg);
        int at = (int) (ends.get(0) + 12);
        b[at] ^= 1;
        Files.write(seg, b);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> reopen(dir));
        assertEquals(seg, e.file());
        assertEquals(ends.get(0).longValue(), e.offset());
    }

    @Test
    void garbageAfterTheLastCommitIsCutOff() throws IOException {
        Path dir = tmp.resolve("wal");
        writeBatches(dir, 2, 2);
        Files.write(onlySegment(dir), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, StandardOpenOption.APPEND);
        assertEquals(expected(2, 2), reopen(dir));
    }

    @Test
    void segmentsRotateCarryCheckpointsAndOldOnesAreDeletedBelowASnapshot() throws IOException {
        Path dir = tmp.resolve("wal");
        List<WalRecord> checkpoint = List.of(new WalRecord(0, bytes("checkpoint")));
        try (WriteAheadLog log = WriteAheadLog.open(dir, 200, () -> checkpoint)) {
            for (int slot = 1; slot <= 30; slot++) {
                log.append(slot, bytes("slot" + slot));
                log.commit();
            }
            assertTrue(log.segmentCount() > 3, "segments: " + log.segmentCount());
            log.deleteSegmentsThrough(20);
            List<String> left = texts(WriteAheadLog.open(dir, 200, () -> checkpoint).recovered());
            assertEquals("checkpoint", left.get(0));
            assertTrue(left.contains("slot21") && left.contains("slot30") && !left.contains("slot1"), left.toString());
        }
    }

    @Test
    void aFailedForceIsFatalAndNeverRetried() throws IOException {
        boolean[] armed = {false};
        Path dir = tmp.resolve("wal");
        WriteAheadLog log = WriteAheadLog.open(dir, bigSegment, List::of,
                (path, options) -> new FailingForceChannel(FileChannel.open(path, options), armed));
        log.append(1, bytes("ok"));
        log.commit();
        armed[0] = true;
        log.append(2, bytes("lost"));
        assertThrows(WalFatalError.class, log::commit);
        armed[0] = false;
        assertThrows(WalFatalError.class, () -> log.append(3, bytes("after")));
        assertThrows(WalFatalError.class, log::commit);
        log.close();
    }

    @Test
    void aSegmentOfAnotherFormatVersionIsRefused() throws IOException {
        Path dir = tmp.resolve("wal");
        writeBatches(dir, 1, 1);
        Path seg = onlySegment(dir);
        byte[] b = Files.readAllBytes(seg);
        b[11] = 2;
        Files.write(seg, b);
        assertThrows(CorruptLogException.class, () -> reopen(dir));
    }

    @Test
    void snapshotFilesRoundTripAndDamageIsRefused() throws IOException {
        Path dir = tmp.resolve("snaps");
        Files.createDirectories(dir);
        SnapshotFiles.write(dir, new org.paxosdns.consensus.Snapshot(3, 10, bytes("state at 10")));
        SnapshotFiles.write(dir, new org.paxosdns.consensus.Snapshot(3, 20, bytes("state at 20")));
        org.paxosdns.consensus.Snapshot s = SnapshotFiles.loadLatest(dir, 3);
        assertEquals(20, s.lastSlot());
        assertArrayEquals(bytes("state at 20"), s.data());
        assertEquals(null, SnapshotFiles.loadLatest(dir, 4));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "older snapshot deleted");
        }
        Path file = dir.resolve(String.format("snap-3-%020d.snap", 20));
        byte[] b = Files.readAllBytes(file);
        b[b.length - 1] ^= 1;
        Files.write(file, b);
        assertThrows(CorruptLogException.class, () -> SnapshotFiles.loadLatest(dir, 3));
    }
}
