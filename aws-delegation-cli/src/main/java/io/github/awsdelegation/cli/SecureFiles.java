package io.github.awsdelegation.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that hold credentials: written to a temporary file of the same directory, created with mode 0600 (owner read
 * and write only, never readable in between), then moved over the target atomically, so a reader sees the old or the
 * new content, never half of it.
 */
final class SecureFiles {

    private SecureFiles() {
    }

    /** Writes {@code content} to {@code target} atomically with mode 0600, creating the directory (0700) when needed. */
    static void writeAtomically(Path target, String content) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            createPrivateDirectories(dir);
            Path temp = posix() ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(temp, content, StandardCharsets.UTF_8);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Creates a directory and its parents, the new ones with mode 0700. */
    static void createPrivateDirectories(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                if (posix()) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
