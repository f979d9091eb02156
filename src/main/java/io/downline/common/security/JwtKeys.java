package io.downline.common.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Makes sure the token signing key pair exists. Deployments supply their keys; a local run (JWT_GENERATE_KEYS=true)
 * generates an RSA pair into the git-ignored .keys/ folder the first time, so nobody commits a private key.
 */
@Singleton
public class JwtKeys {

    private static final Logger LOG = Logger.getLogger(JwtKeys.class);

    private final boolean localLogin;
    private final boolean generate;
    private final String privateKeyLocation;
    private final String publicKeyLocation;

    public JwtKeys(@ConfigProperty(name = "downline.auth.local-login") boolean localLogin,
            @ConfigProperty(name = "downline.auth.generate-keys") boolean generate,
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") String privateKeyLocation,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") String publicKeyLocation) {
        this.localLogin = localLogin;
        this.generate = generate;
        this.privateKeyLocation = privateKeyLocation;
        this.publicKeyLocation = publicKeyLocation;
    }

    void onStart(@Observes StartupEvent event) {
        if (!localLogin || !generate) {
            return;
        }
        Path privateKey = Path.of(privateKeyLocation);
        Path publicKey = Path.of(publicKeyLocation);
        if (Files.exists(privateKey) && Files.exists(publicKey)) {
            return;
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            createParent(privateKey);
            createParent(publicKey);
            Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            restrictToOwner(privateKey);
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            LOG.infof("Generated a local token signing key pair: %s, %s", privateKey, publicKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is part of every JRE", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the generated signing keys", e);
        }
    }

    private static void createParent(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            LOG.debug("File system without POSIX permissions; key file permissions left as they are");
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
