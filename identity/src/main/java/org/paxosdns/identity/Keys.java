package org.paxosdns.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;

/** RSA key generation and decoding of DER key material. */
public final class Keys {
    /** Modulus size of newly generated keys, in bits. */
    public static final int RSA_BITS_DEFAULT = 3072;
    /** Smallest modulus accepted anywhere, in bits. */
    public static final int RSA_BITS_MIN = 2048;

    private Keys() {}

    /** Generates an RSA key pair of {@code bits} bits (about a second for 3072 bits). */
    public static KeyPair generate(int bits) {
        if (bits < RSA_BITS_MIN) {
            throw new IllegalArgumentException("RSA keys have at least " + RSA_BITS_MIN + " bits");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation unavailable", e);
        }
    }

    /** Decodes an X.509 SubjectPublicKeyInfo (DER) RSA public key. */
    public static PublicKey publicFromDer(byte[] der) throws IdentityException {
        try {
            PublicKey key = rsa().generatePublic(new X509EncodedKeySpec(der));
            checkSize(((RSAPublicKey) key).getModulus());
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IdentityException("not an RSA public key (X.509 SubjectPublicKeyInfo): " + e.getMessage(), e);
        }
    }

    /** Decodes a PKCS#8 (DER) RSA private key. */
    public static PrivateKey privateFromDer(byte[] der) throws IdentityException {
        try {
            PrivateKey key = rsa().generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!(key instanceof RSAPrivateCrtKey crt)) {
                throw new IdentityException("RSA private key lacks its CRT parameters (public exponent)");
            }
            checkSize(crt.getModulus());
            return key;
        } catch (GeneralSecurityException e) {
            throw new IdentityException("not an RSA private key (PKCS#8): " + e.getMessage(), e);
        }
    }

    /** The public half of a private key, which a PKCS#8 RSA key carries. */
    public static KeyPair pairOf(PrivateKey privateKey) throws IdentityException {
        if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
            throw new IdentityException("RSA private key lacks its CRT parameters (public exponent)");
        }
        try {
            PublicKey pub = rsa().generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new KeyPair(pub, privateKey);
        } catch (GeneralSecurityException e) {
            throw new IdentityException("cannot derive the public key: " + e.getMessage(), e);
        }
    }

    /** True when {@code pub} is the public half of {@code priv}. */
    public static boolean matches(PublicKey pub, PrivateKey priv) {
        return pub instanceof RSAPublicKey p && priv instanceof RSAPrivateCrtKey c
                && p.getModulus().equals(c.getModulus()) && p.getPublicExponent().equals(c.getPublicExponent());
    }

    private static void checkSize(BigInteger modulus) throws IdentityException {
        if (modulus.bitLength() < RSA_BITS_MIN) {
            throw new IdentityException("RSA key of " + modulus.bitLength() + " bits; at least " + RSA_BITS_MIN + " required");
        }
    }

    private static KeyFactory rsa() throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA");
    }
}
