package org.paxosdns.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * PEM key files: PKCS#8 private keys readable by their owner only, X.509 SubjectPublicKeyInfo
 * public keys. A private key file that group or others may read is refused, as ssh does.
 */
public final class KeyFiles {
    /** Largest key file read, in bytes; an RSA-8192 PKCS#8 PEM is about 6.5 KB. */
    public static final int KEY_FILE_BYTES_MAX = 16 * 1024;

    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> PUBLIC_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private KeyFiles() {}

    /** Writes the private key as PKCS#8 PEM with mode 0600, atomically; refuses to overwrite. */
    public static void writePrivate(Path file, PrivateKey key) throws IOException {
        writeNew(file, toPem(PRIVATE_LABEL, key.getEncoded()), true);
    }

    /** Writes the public key as X.509 SubjectPublicKeyInfo PEM; refuses to overwrite. */
    public static void writePublic(Path file, PublicKey key) throws IOException {
        writeNew(file, toPem(PUBLIC_LABEL, key.getEncoded()), false);
    }

    /** Reads a private key file and its public half; refuses files others may read. */
    public static KeyPair readPair(Path file) throws IdentityException {
        checkOwnerOnly(file);
        PrivateKey key = Keys.privateFromDer(fromPem(file, read(file), PRIVATE_LABEL));
        return Keys.pairOf(key);
    }

    /** Reads a key pair from a private key file and checks that {@code publicFile} holds its public half. */
    public static KeyPair readPair(Path privateFile, Path publicFile) throws IdentityException {
        KeyPair pair = readPair(privateFile);
        PublicKey stated = readPublic(publicFile);
        if (!Keys.matches(stated, pair.getPrivate())) {
            throw new IdentityException(publicFile + " is not the public half of " + privateFile);
        }
        return pair;
    }

    /** Reads a public key file. */
    public static PublicKey readPublic(Path file) throws IdentityException {
        return Keys.publicFromDer(fromPem(file, read(file), PUBLIC_LABEL));
    }

    /** Decodes PEM text of the given label ("PRIVATE KEY", "PUBLIC KEY") to DER; {@code source} names it in errors. */
    public static byte[] fromPem(Object source, String text, String label) throws IdentityException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IdentityException(source + ": no '" + begin + "' block (expected PEM " + label + ")");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IdentityException(source + ": the PEM body is not base64", e);
        }
    }

    /** Encodes DER as PEM text with 64-character lines. */
    public static String toPem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static String read(Path file) throws IdentityException {
        try {
            long size = Files.size(file);
            if (size > KEY_FILE_BYTES_MAX) {
                throw new IdentityException(file + ": " + size + " bytes, larger than any key file (" + KEY_FILE_BYTES_MAX + ")");
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IdentityException(file + ": cannot read: " + e, e);
        }
    }

    private static void checkOwnerOnly(Path file) throws IdentityException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return; // not a POSIX file system: nothing to check against
        }
        try {
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            Set<PosixFilePermission> extra = EnumSet.copyOf(perms);
            extra.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
            if (!extra.isEmpty()) {
                throw new IdentityException(file + ": private key is accessible by others (mode "
                        + PosixFilePermissions.toString(perms) + "); chmod 600 it");
            }
        } catch (IOException e) {
            throw new IdentityException(file + ": cannot read permissions: " + e, e);
        }
    }

    private static void writeNew(Path file, String text, boolean ownerOnly) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite a key file");
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".key", ".tmp");
        try {
            if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(tmp, ownerOnly ? OWNER_ONLY : PUBLIC_READABLE);
            }
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
