package org.paxosdns.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void writtenKeysReadBackOwnerOnly() throws Exception {
        ServerKeys keys = TestKeys.server(0);
        keys.save(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sign.key"))));
        ServerKeys loaded = ServerKeys.load(dir);
        assertEquals(keys.nodeId(), loaded.nodeId());
        assertTrue(Keys.matches(keys.comms().getPublic(), loaded.comms().getPrivate()));
        KeyPair pair = KeyFiles.readPair(dir.resolve("sign.key"), dir.resolve("sign.pub"));
        assertEquals(keys.signing().getPublic(), pair.getPublic());
    }

    @Test
    void refusesToOverwrite() throws Exception {
        TestKeys.server(0).save(dir);
        assertThrows(FileAlreadyExistsException.class, () -> TestKeys.server(1).save(dir));
    }

    @Test
    void privateKeyReadableByOthersIsRefused() throws Exception {
        TestKeys.server(0).save(dir);
        Files.setPosixFilePermissions(dir.resolve("sign.key"), PosixFilePermissions.fromString("rw-r--r--"));
        IdentityException e = assertThrows(IdentityException.class, () -> ServerKeys.load(dir));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void wrongFormatIsAClearError() throws Exception {
        Path file = write("garbage.key", "this is not a key\n");
        IdentityException e = assertThrows(IdentityException.class, () -> KeyFiles.readPair(file));
        assertTrue(e.getMessage().contains("BEGIN PRIVATE KEY"), e.getMessage());
        Path badBody = write("body.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThrows(IdentityException.class, () -> KeyFiles.readPair(badBody));
        Path publicAsPrivate = dir.resolve("pub.key");
        KeyFiles.writePublic(publicAsPrivate, TestKeys.commander(0).getPublic());
        Files.setPosixFilePermissions(publicAsPrivate, PosixFilePermissions.fromString("rw-------"));
        assertThrows(IdentityException.class, () -> KeyFiles.readPair(publicAsPrivate));
    }

    @Test
    void mismatchedPairIsAClearError() throws Exception {
        KeyFiles.writePrivate(dir.resolve("a.key"), TestKeys.commander(0).getPrivate());
        KeyFiles.writePublic(dir.resolve("b.pub"), TestKeys.commander(1).getPublic());
        IdentityException e = assertThrows(IdentityException.class,
                () -> KeyFiles.readPair(dir.resolve("a.key"), dir.resolve("b.pub")));
        assertTrue(e.getMessage().contains("not the public half"), e.getMessage());
    }

    @Test
    void oversizedFileIsRefused() throws Exception {
        Path file = write("huge.key", "x".repeat(KeyFiles.KEY_FILE_BYTES_MAX + 1));
        IdentityException e = assertThrows(IdentityException.class, () -> KeyFiles.readPair(file));
        assertTrue(e.getMessage().contains("larger"), e.getMessage());
    }

    @Test
    void missingFileIsAClearError() {
        IdentityException e = assertThrows(IdentityException.class, () -> KeyFiles.readPair(dir.resolve("none.key")));
        assertTrue(e.getMessage().contains("none.key"), e.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
