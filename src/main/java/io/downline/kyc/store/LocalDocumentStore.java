package io.downline.kyc.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * A directory of files readable by the service's user only. A file is written next to its place and moved there
 * atomically, so a reader never sees half of one.
 */
public class LocalDocumentStore implements DocumentStore {

    private static final Pattern REF = Pattern.compile("[0-9a-f]{2}/[0-9a-f-]{36}");

    private final Path root;

    public LocalDocumentStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the document directory " + this.root, e);
        }
    }

    @Override
    public void put(String ref, byte[] bytes) {
        Path target = resolve(ref);
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), ".upload-", ".part");
            try {
                restrict(partial);
                Files.write(partial, bytes);
                if (Files.exists(target)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store document " + ref, e);
        }
    }

    @Override
    public byte[] get(String ref) {
        try {
            return Files.readAllBytes(resolve(ref));
        } catch (NoSuchFileException e) {
            throw new MissingDocumentException(ref);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read document " + ref, e);
        }
    }

    @Override
    public void delete(String ref) {
        try {
            Files.deleteIfExists(resolve(ref));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete document " + ref, e);
        }
    }

    /** The file of a reference; references come from the service, but a malformed one never leaves the directory. */
    public Path resolve(String ref) {
        if (ref == null || !REF.matcher(ref).matches()) {
            throw new IllegalArgumentException("Not a document reference: " + ref);
        }
        return root.resolve(ref);
    }

    private static void restrict(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
